using CrmExtensions.Testing;

namespace CrmExtensions.Mail.Templates.Tests;

public sealed partial class TemplatePackTests
{
    private static readonly TemplateModel Client = Model(("client", new Dictionary<string, object?> { ["name"] = "ООО «Север»" }));

    private static TemplateErrorsException RenderFails(string body)
    {
        using var temp = new TempDirectory();
        var pack = Pack(temp, body);
        var error = Assert.Throws<TemplateErrorsException>(() => pack.Render(Client))!;
        TestContext.Out.WriteLine(error.Message);
        return error;
    }

    private static TemplateErrorsException LoadFails(params (string File, string Text)[] files)
    {
        using var temp = new TempDirectory();
        return Assert.Throws<TemplateErrorsException>(() => TemplatePack.Load(WritePack(temp, "p", files)))!;
    }

    [Test]
    public void Load_SyntaxErrors_AllReportedWithFileLineAndColumn()
    {
        var error = LoadFails(("subject.scriban", "Hello {{ client.name | }}"), ("body.txt.scriban", "line one\n{{ if }}\n{{ end }}"));
        Assert.That(error.Errors, Has.Some.Match(@"^p/subject\.scriban\(1,\d+\): "));
        Assert.That(error.Errors, Has.Some.Match(@"^p/body\.txt\.scriban\(2,\d+\): "));
    }

    [Test]
    public void Load_ManifestWithBadJson_ReportsItsLineAndColumn()
    {
        var error = LoadFails(("pack.json", "{\n  \"name\": \"p\",\n  \"locale\": ru\n}"), ("subject.scriban", "S"), ("body.txt.scriban", "B"));
        Assert.That(error.Errors, Has.One.Match(@"^p/pack\.json\(3,\d+\): "));
    }

    [Test]
    public void Load_ManifestProblems_AllListed()
    {
        var error = LoadFails(("pack.json", """{ "locale": "de-DE", "category": "spam" }"""), ("subject.scriban", "S"));
        Assert.That(error.Errors, Has.Some.Contains("'name' is missing"));
        Assert.That(error.Errors, Has.Some.Contains("locale 'de-DE' is not supported"));
        Assert.That(error.Errors, Has.Some.Contains("category 'spam'"));
    }

    [Test]
    public void Load_NoBody_Refused()
    {
        var error = LoadFails(("subject.scriban", "S"));
        Assert.That(error.Errors, Has.One.Contains("p/body.html.scriban: missing"));
    }

    [Test]
    public void Load_NeedTheModelDoesNotOffer_Refused()
    {
        using var temp = new TempDirectory();
        var directory = WritePack(temp, "p", ("pack.json", """{ "name": "p", "locale": "en", "needs": ["client", "weather"] }"""),
            ("subject.scriban", "S"), ("body.txt.scriban", "B"));
        var error = Assert.Throws<TemplateErrorsException>(() => TemplatePack.Load(directory, ["client", "invoices"]))!;
        Assert.That(error.Errors, Has.One.Contains("needs 'weather', which the mail model does not offer"));
    }

    [Test]
    public void Render_UnknownVariable_IsAnErrorNamingTemplateAndPosition()
    {
        var error = RenderFails("Dear {{ client.name }},\n{{ cleint.name }}");
        Assert.That(error.Message, Does.Match(@"^p/body\.txt\.scriban\(2,4\): .*cleint"));
    }

    // Issue 20, item 7: the model was writable through list items, and a division by zero rendered "Infinity".
    [TestCase("{{ invoices[0] = 1 }}")]
    [TestCase("{{ client.legal_entities[0] = \"X\" }}")]
    public void Render_WriteToTheModelsLists_IsAnErrorAndChangesNothing(string subject)
    {
        using var temp = new TempDirectory();
        var model = Model(("client", new Dictionary<string, object?> { ["legal_entities"] = new[] { "ООО «Север»" } }), ("invoices", new[] { 10, 20 }));
        var pack = TemplatePack.Load(WritePack(temp, "p", ("subject.scriban", subject),
            ("body.txt.scriban", "{{ invoices[0] }} {{ client.legal_entities[0] }}")));
        var intact = TemplatePack.Load(WritePack(temp, "q", ("subject.scriban", "S"), ("body.txt.scriban", "{{ invoices[0] }} {{ client.legal_entities[0] }}")));

        var error = Assert.Throws<TemplateErrorsException>(() => pack.Render(model))!;

        Assert.That(error.Message, Does.Match(@"^p/subject\.scriban\(1,\d+\): the template model is read-only"));
        Assert.That(intact.Render(model).Text, Is.EqualTo("10 ООО «Север»"));
    }

    [Test]
    public void Render_OwnListOfTheTemplate_StaysWritable()
    {
        using var temp = new TempDirectory();

        Assert.That(Pack(temp, "{{ x = [1, 2]; x[0] = 5 }}{{ x[0] }}").Render(Client).Text, Is.EqualTo("5"));
    }

    [TestCase("{{ 1 / 0 }}")]
    [TestCase("{{ 10.5 / 0 }}")]
    [TestCase("{{ 0.0 / 0 }}")]
    public void Render_DivisionByZero_IsAnErrorNotInfinity(string body)
    {
        var error = RenderFails(body);

        Assert.That(error.Message, Does.Match(@"^p/body\.txt\.scriban\(1,\d+\): the value is not a finite number"));
    }

    [Test]
    public void Render_UnknownMember_IsAnError()
    {
        var error = RenderFails("{{ client.nmae }}");
        Assert.That(error.Message, Does.Match(@"^p/body\.txt\.scriban\(1,\d+\): .*nmae"));
    }

    [Test]
    public void Render_InfiniteLoop_StoppedByTheLoopLimit()
    {
        var error = RenderFails("before\n{{ while true }}x{{ end }}");
        Assert.That(error.Message, Does.Match(@"^p/body\.txt\.scriban\(2,\d+\): ").And.Contains("limit").IgnoreCase);
    }

    [Test]
    public void Render_EndlessRecursion_StoppedByTheRecursionLimit()
    {
        var error = RenderFails("{{ func f\n f\nend\nf }}");
        Assert.That(error.Message, Does.Match(@"^p/body\.txt\.scriban\(\d+,\d+\): ").And.Contains("recursive").IgnoreCase);
    }

    [Test]
    public void Render_HundredMegabyteOutput_StoppedByTheOutputLimit()
    {
        // 2,000 × 50,000 characters = 100 MB; each piece is under the string limit and the loop under the loop limit.
        var error = RenderFails("{{ piece = \"\" | string.pad_left 50000 }}{{ for i in 1..2000 }}{{ piece }}{{ end }}");
        Assert.That(error.Message, Does.Match(@"^p/body\.txt\.scriban\(1,\d+\): ").And.Contains("output").IgnoreCase);
    }

    [Test]
    public void Render_StringDoubledForever_Stopped()
    {
        var error = RenderFails("{{ s = \"x\"\nfor i in 1..40\n s = s + s\nend\ns }}");
        Assert.That(error.Message, Does.Match(@"^p/body\.txt\.scriban\(\d+,\d+\): "));
    }

    [TestCase("{{ string.upcase = 1 }}")]
    [TestCase("{{ date.format = \"%Y\" }}")]
    [TestCase("{{ string = 1 }}")]
    [TestCase("{{ money = 1 }}")]
    [TestCase("{{ client.name = \"hacked\" }}")]
    [TestCase("{{ client = 1 }}")]
    public void Render_WritingIntoABuiltinOrTheModel_IsAnError(string body)
    {
        var error = RenderFails(body);
        Assert.That(error.Message, Does.Match(@"^p/body\.txt\.scriban\(1,\d+\): "));
    }

    [Test]
    public void Render_WhatOneRenderDefines_IsNotSeenByTheNext()
    {
        using var temp = new TempDirectory();
        var defines = Pack(temp, "{{ x = 5\nfunc leak\n ret 1\nend }}defined");
        Assert.That(defines.Render(Client).Text, Is.EqualTo("defined"));
        var directory = Path.Combine(temp.Path, "p");
        File.WriteAllText(Path.Combine(directory, "body.txt.scriban"), "{{ leak }}");
        File.WriteAllText(Path.Combine(directory, "subject.scriban"), "{{ x }}");
        var reads = TemplatePack.Load(directory);
        Assert.That(() => reads.Render(Client), Throws.TypeOf<TemplateErrorsException>().With.Message.Contains("`x`"));
        // The same pack rendered again after a failed and a successful render still works and still sees nothing stale.
        Assert.That(defines.Render(Client).Text, Is.EqualTo("defined"));
    }

    [Test]
    public void Render_ClockAndRandomAndEval_AreNotAvailable()
    {
        Assert.That(RenderFails("{{ date.now }}").Message, Does.Contain("now"));
        Assert.That(RenderFails("{{ math.random 1 10 }}").Message, Does.Contain("random"));
        Assert.That(RenderFails("{{ object.eval \"1+1\" }}").Message, Does.Contain("eval"));
    }

    [TestCase("../secret")]
    [TestCase("/etc/passwd")]
    [TestCase("partials/../../secret")]
    [TestCase("nosuch")]
    public void Render_IncludeOutsideThePack_IsAnError(string name)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "secret.scriban"), "SECRET");
        var pack = TemplatePack.Load(WritePack(temp, "p", ("subject.scriban", "S"), ("body.txt.scriban", $"{{{{ include \"{name}\" }}}}")));
        var error = Assert.Throws<TemplateErrorsException>(() => pack.Render(Client))!;
        Assert.That(error.Message, Does.Match(@"^p/body\.txt\.scriban\(1,\d+\): ").And.Not.Contains("SECRET"));
    }

    [Test]
    public void Load_LinkToAFileOutsideThePack_Refused()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "outside.scriban"), "SECRET");
        var directory = WritePack(temp, "p", ("subject.scriban", "S"), ("body.txt.scriban", "{{ include \"partials/footer\" }}"));
        Directory.CreateDirectory(Path.Combine(directory, "partials"));
        File.CreateSymbolicLink(Path.Combine(directory, "partials", "footer.scriban"), Path.Combine(temp.Path, "outside.scriban"));
        var error = Assert.Throws<TemplateErrorsException>(() => TemplatePack.Load(directory))!;
        Assert.That(error.Errors, Has.One.Contains("p/partials/footer.scriban: is a link to a file outside"));
    }

    // Issue 20, item 7: a binary or mis-encoded body file rendered garbage, a link loop in a pack was followed.
    [TestCase(new byte[] { 0x48, 0x69, 0x00, 0x01, 0x02 }, "is a binary file")]
    [TestCase(new byte[] { 0xD0, 0x9F, 0xFF, 0xFE, 0x21 }, "is not UTF-8 text")]
    public void Load_BodyThatIsNotText_RefusedNamingTheFile(byte[] bytes, string reason)
    {
        using var temp = new TempDirectory();
        var directory = WritePack(temp, "p", ("subject.scriban", "S"), ("body.txt.scriban", "placeholder"));
        File.WriteAllBytes(Path.Combine(directory, "body.txt.scriban"), bytes);

        var error = Assert.Throws<TemplateErrorsException>(() => TemplatePack.Load(directory))!;

        Assert.That(error.Errors, Has.One.StartsWith("p/body.txt.scriban: " + reason));
    }

    [Test]
    public void Load_LinkToAFolderItIsInside_ReportedAsALoopAndNotFollowed()
    {
        using var temp = new TempDirectory();
        var directory = WritePack(temp, "p", ("subject.scriban", "S"), ("body.txt.scriban", "B"), ("partials/sign.scriban", "sign"));
        Directory.CreateSymbolicLink(Path.Combine(directory, "partials", "again"), directory);

        var error = Assert.Throws<TemplateErrorsException>(() => TemplatePack.Load(directory))!;

        Assert.That(error.Errors, Is.EqualTo(new[] { "p/partials/again: is a link to a folder it is inside (a loop); it is not followed." }));
    }

    [Test]
    public void Load_LinkToASiblingFolderInsideThePack_IsStillRead()
    {
        using var temp = new TempDirectory();
        var directory = WritePack(temp, "p", ("subject.scriban", "S"), ("body.txt.scriban", "{{ include \"alias/sign\" }}"), ("partials/sign.scriban", "sign"));
        Directory.CreateSymbolicLink(Path.Combine(directory, "alias"), Path.Combine(directory, "partials"));

        Assert.That(TemplatePack.Load(directory).Render(Client).Text, Is.EqualTo("sign"));
    }

    [Test]
    public void Render_PartialOfTheLocale_ComesBeforeTheSharedOne()
    {
        using var temp = new TempDirectory();
        var directory = WritePack(temp, "p", ("pack.json", """{ "name": "p", "locales": ["ru-RU", "en"] }"""),
            ("partials/sign.scriban", "shared"), ("ru-RU/partials/sign.scriban", "подпись"),
            ("ru-RU/subject.scriban", "Тема"), ("ru-RU/body.txt.scriban", "{{ include \"partials/sign\" }}"),
            ("en/subject.scriban", "Subject"), ("en/body.txt.scriban", "{{ include \"partials/sign\" }}"));
        var pack = TemplatePack.Load(directory);
        Assert.That(pack.Render(Client, "ru-RU").Text, Is.EqualTo("подпись"));
        Assert.That(pack.Render(Client, "en").Text, Is.EqualTo("shared"));
    }

    [Test]
    public void Render_ModelLacksANeed_IsAnErrorBeforeRendering()
    {
        using var temp = new TempDirectory();
        var pack = TemplatePack.Load(WritePack(temp, "p", ("pack.json", """{ "name": "p", "locale": "en", "needs": ["client", "invoices"] }"""),
            ("subject.scriban", "S"), ("body.txt.scriban", "B")));
        Assert.That(() => pack.Render(Client), Throws.TypeOf<TemplateErrorsException>().With.Message.Contains("needs invoices"));
    }

    [Test]
    public void Render_ManyThreadsAtOnce_EachGetsItsOwnModel()
    {
        using var temp = new TempDirectory();
        var pack = Pack(temp, "{{ n = client.n }}{{ for i in 1..50 }}{{ n }}{{ end }}");
        var failures = 0;
        Parallel.For(0, 2000, i =>
        {
            var model = Model(("client", new Dictionary<string, object?> { ["n"] = i % 10 }));
            if (pack.Render(model).Text != string.Concat(Enumerable.Repeat((i % 10).ToString(), 50)))
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.That(failures, Is.Zero);
    }
}

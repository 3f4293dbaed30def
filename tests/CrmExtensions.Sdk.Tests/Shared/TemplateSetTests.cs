using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Testing;
using CrmExtensions.Sdk.Tests.Testing;
using CrmExtensions.Testing;

namespace CrmExtensions.Sdk.Tests.Shared;

/// <summary>Plugin templates render in the mail sandbox: single files as in SDK 1.0, and template packs.</summary>
public sealed class TemplateSetTests
{
    private static PluginHarness Harness(TempDirectory folder, params (string File, string Text)[] files)
    {
        foreach (var (file, text) in files)
        {
            var path = Path.Combine(folder.Path, "templates", file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        return PluginHarness.Create<PluginHarnessTests.TemplatesStartup>(pluginDirectory: folder.Path);
    }

    private static RenderedMail Render(PluginHarness harness, string template, Dictionary<string, object?> model) =>
        harness.Render(new OutgoingMail { Key = "k", Template = template, To = "a@b.c", Model = model });

    [Test]
    public void Render_SingleFileTemplateOfSdk10_SubjectLineThenBody()
    {
        using var folder = new TempDirectory();
        using var harness = Harness(folder, ("hi.scriban", "Subject: Счёт {{ number }}\nК оплате {{ amount | money }}, {{ days | count \"день\" \"дня\" \"дней\" }}."));

        var mail = Render(harness, "hi", new() { ["number"] = "A-1", ["amount"] = 1234.5m, ["days"] = 3 });

        Assert.That(mail.Subject, Is.EqualTo("Счёт A-1"));
        Assert.That(mail.Body, Is.EqualTo("К оплате 1\u00A0234,50\u00A0₽, 3\u00A0дня.\n"));
    }

    [Test]
    public void Render_PackInTheTemplateFolder_RendersItsSubjectAndTextBody()
    {
        using var folder = new TempDirectory();
        using var harness = Harness(folder,
            ("dunning/pack.json", """{ "name": "dunning", "locale": "en", "category": "transactional", "needs": ["client"] }"""),
            ("dunning/subject.scriban", "Overdue: {{ client.name }}"),
            ("dunning/body.txt.scriban", "Dear {{ client.name }},\n{{ include \"sign\" }}"),
            ("dunning/sign.scriban", "Accounts"));

        var mail = Render(harness, "dunning", new() { ["client"] = new Dictionary<string, object?> { ["name"] = "Acme" } });

        Assert.That(harness.Templates, Does.Contain("dunning"));
        Assert.That((mail.Subject, mail.Body), Is.EqualTo(("Overdue: Acme", "Dear Acme,\nAccounts\n")));
    }

    [Test]
    public void Create_BrokenPack_RefusedAtLoadWithItsFileAndPosition()
    {
        using var folder = new TempDirectory();
        var error = Assert.Throws<TemplateException>(() => Harness(folder,
            ("dunning/pack.json", """{ "name": "dunning", "locale": "en" }"""),
            ("dunning/subject.scriban", "Overdue"),
            ("dunning/body.txt.scriban", "ok\n{{ for }}")))!;

        Assert.That(error.Errors, Has.One.StartsWith("templates/dunning/body.txt.scriban(2,"));
    }

    [TestCase("{{ string.upcase = 1 }}", "readonly")]
    [TestCase("{{ while true }}x{{ end }}", "limit")]
    [TestCase("{{ client.nmae }}", "nmae")]
    [TestCase("{{ include \"../secret\" }}", "leaves the pack")]
    public void Render_TemplateBreakingTheSandbox_FailsWithFileAndPosition(string body, string reason)
    {
        using var folder = new TempDirectory();
        using var harness = Harness(folder, ("bad.scriban", "Subject: x\n" + body));

        Assert.That(() => Render(harness, "bad", new() { ["client"] = new Dictionary<string, object?> { ["name"] = "Acme" } }),
            Throws.TypeOf<TemplateException>().With.Message.Match(@"^templates/bad\.scriban\(2,\d+\): ").And.Message.Contains(reason));
    }

    [Test]
    public void Render_WhatOneRenderDefines_DoesNotReachTheNext()
    {
        using var folder = new TempDirectory();
        using var harness = Harness(folder, ("a.scriban", "Subject: a\n{{ leaked = 1 }}a"), ("b.scriban", "Subject: b\n{{ leaked }}"));

        Assert.That(Render(harness, "a", []).Body, Is.EqualTo("a\n"));
        Assert.That(() => Render(harness, "b", []), Throws.TypeOf<TemplateException>().With.Message.Contains("leaked"));
    }
}

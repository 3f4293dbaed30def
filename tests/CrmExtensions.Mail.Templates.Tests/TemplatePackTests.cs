using CrmExtensions.Testing;

namespace CrmExtensions.Mail.Templates.Tests;

public sealed partial class TemplatePackTests
{
    private static TemplateModel Model(params (string Name, object? Value)[] variables) =>
        TemplateModel.From(variables.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)));

    /// <summary>Writes a one-locale pack (manifest plus the files given) into a fresh folder.</summary>
    private static string WritePack(TempDirectory temp, string name, params (string File, string Text)[] files)
    {
        var directory = Path.Combine(temp.Path, name);
        Directory.CreateDirectory(directory);
        if (!files.Any(f => f.File == "pack.json"))
        {
            File.WriteAllText(Path.Combine(directory, "pack.json"), $$"""{ "name": "{{name}}", "locale": "ru-RU" }""");
        }

        foreach (var (file, text) in files)
        {
            var path = Path.Combine(directory, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        return directory;
    }

    private static TemplatePack Pack(TempDirectory temp, string body, string subject = "S") =>
        TemplatePack.Load(WritePack(temp, "p", ("subject.scriban", subject), ("body.txt.scriban", body)));

    [Test]
    public void Render_SamplePack_RussianIsTheDefaultLocale()
    {
        var (directory, _, model) = GoldenFiles.Read("statement-ru");
        var pack = TemplatePack.Load(directory);
        Assert.That(pack.Render(model).Subject, Is.EqualTo(pack.Render(model, "ru-RU").Subject));
        Assert.That(pack.Render(model, "en").Subject, Does.StartWith("ГК «Север»: 3\u00A0unpaid invoices"));
    }
}

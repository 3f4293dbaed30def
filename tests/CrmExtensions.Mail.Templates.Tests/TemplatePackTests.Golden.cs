namespace CrmExtensions.Mail.Templates.Tests;

public sealed partial class TemplatePackTests
{
    private static IEnumerable<string> GoldenCases => GoldenFiles.Cases;

    [TestCaseSource(nameof(GoldenCases))]
    public void Render_GoldenCase_MatchesExpectedFiles(string name)
    {
        var (directory, locale, model) = GoldenFiles.Read(name);
        var rendered = TemplatePack.Load(directory).Render(model, locale);
        var parts = new (string File, string? Actual)[]
        {
            ("expected.subject.out", rendered.Subject + "\n"), ("expected.html.out", rendered.Html), ("expected.txt.out", rendered.Text),
        };
        var folder = Path.Combine(GoldenFiles.Directory, name);
        if (GoldenFiles.Updating)
        {
            foreach (var (file, actual) in parts)
            {
                var path = Path.Combine(folder, file);
                if (actual is null)
                {
                    File.Delete(path);
                }
                else
                {
                    File.WriteAllText(path, actual);
                }
            }

            Assert.Inconclusive("Expected files rewritten (CRMX_UPDATE_GOLDEN=1); review the diff.");
        }

        Assert.Multiple(() =>
        {
            foreach (var (file, actual) in parts)
            {
                var path = Path.Combine(folder, file);
                if (actual is null)
                {
                    Assert.That(File.Exists(path), Is.False, $"{name}/{file}: expected a body this pack does not render");
                }
                else
                {
                    Assert.That(File.Exists(path), Is.True, $"{name}/{file} is missing; run with CRMX_UPDATE_GOLDEN=1 and review it");
                    if (File.Exists(path))
                    {
                        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)), $"{name}/{file}");
                    }
                }
            }
        });
    }
}

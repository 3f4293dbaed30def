using System.Text.RegularExpressions;
using CrmExtensions.Testing;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>The tag helpers the pages leave out must have nothing to do on any page.</summary>
[TestFixture]
public sealed partial class ViewImportsTests
{
    private static readonly string WebProject = Path.Combine(TestEnvironment.RepoRoot, "host", "CrmExtensions.Web");

    [Test]
    public void OptionTagHelper_IsRemoved_AndNoSelectBindsAModel()
    {
        // Without the option tag helper a <select asp-for> would not mark its chosen option: a page that needs one brings the
        // tag helper back in _ViewImports.
        Assert.That(File.ReadAllText(Path.Combine(WebProject, "Pages", "_ViewImports.cshtml")),
            Does.Contain("@removeTagHelper Microsoft.AspNetCore.Mvc.TagHelpers.OptionTagHelper"));
        var binding = Directory.EnumerateFiles(WebProject, "*.cshtml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => SelectWithModel().Matches(RazorComment().Replace(File.ReadAllText(f), "")).Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();
        Assert.That(binding, Is.Empty);
    }

    [GeneratedRegex(@"<select\b[^>]*\basp-(for|items)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex SelectWithModel();

    [GeneratedRegex(@"@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex RazorComment();
}

using System.Text.Json;
using CrmExtensions.Testing;

namespace CrmExtensions.Mail.Templates.Tests;

/// <summary>
/// Golden cases: a folder under <c>Golden</c> with <c>case.json</c> (the pack, the locale, the model) and
/// the expected <c>expected.subject.out</c>, <c>expected.html.out</c>, <c>expected.txt.out</c>.
/// Set <c>CRMX_UPDATE_GOLDEN=1</c> to rewrite the expected files from what renders now (then review the diff).
/// </summary>
internal static class GoldenFiles
{
    public static string Directory => Path.Combine(TestEnvironment.RepoRoot, "tests", "CrmExtensions.Mail.Templates.Tests", "Golden");

    public static IEnumerable<string> Cases => System.IO.Directory.EnumerateDirectories(Directory)
        .Where(d => File.Exists(Path.Combine(d, "case.json")))
        .Select(Path.GetFileName)
        .Order(StringComparer.Ordinal)!;

    public static bool Updating => Environment.GetEnvironmentVariable("CRMX_UPDATE_GOLDEN") == "1";

    public static (string PackDirectory, string Locale, TemplateModel Model) Read(string name)
    {
        var folder = Path.Combine(Directory, name);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "case.json")));
        var root = json.RootElement;
        var pack = root.GetProperty("pack").GetString()!;
        var packDirectory = System.IO.Directory.Exists(Path.Combine(folder, pack)) ? Path.Combine(folder, pack) : Path.Combine(TestEnvironment.RepoRoot, pack);
        var model = (Dictionary<string, object?>)ToObject(root.GetProperty("model"))!;
        return (packDirectory, root.GetProperty("locale").GetString()!, TemplateModel.From(model));
    }

    /// <summary>JSON → dictionaries, lists, strings, booleans, whole numbers as long and others as decimal.</summary>
    public static object? ToObject(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToObject(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(ToObject).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}

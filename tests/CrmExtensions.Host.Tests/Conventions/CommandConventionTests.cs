using System.Text.RegularExpressions;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Conventions;

/// <summary>The CLI only translates: its commands hold no SQL, block on no task, and call no other command.</summary>
public sealed partial class CommandConventionTests
{
    private static readonly string Commands = Path.Combine(TestEnvironment.RepoRoot, "host", "CrmExtensions.Host", "Commands");

    private static IEnumerable<(string File, int Line, string Text)> Lines() =>
        Directory.EnumerateFiles(Commands, "*.cs").SelectMany(file => File.ReadLines(file).Select((text, i) => (Path.GetFileName(file), i + 1, text)));

    [Test]
    public void Commands_HoldNoSql()
    {
        var found = Lines().Where(l => Sql().IsMatch(l.Text)).Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();

        Assert.That(found, Is.Empty, "SQL belongs in the store, orchestration in the application core");
    }

    [Test]
    public void Commands_NeverBlockOnATask()
    {
        var found = Lines().Where(l => l.Text.Contains(".GetAwaiter().GetResult()", StringComparison.Ordinal) || l.Text.Contains(").Result", StringComparison.Ordinal) || l.Text.Contains(".Wait()", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();

        Assert.That(found, Is.Empty, "commands are async all the way");
    }

    [Test]
    public void Commands_CallNoOtherCommand()
    {
        var found = Lines().Where(l => !l.Text.TrimStart().StartsWith("///", StringComparison.Ordinal))
            .SelectMany(l => CommandReference().Matches(l.Text).Select(m => (l.File, l.Line, Name: m.Groups[1].Value + "Command")))
            // CrmxApp.cs assembles the tree: the one file that names every command.
            .Where(r => r.Name + ".cs" != r.File && r.Name != "CrmxCommand" && r.File != "CrmxApp.cs")
            .Select(r => $"{r.File}:{r.Line}: uses {r.Name}").ToList();

        Assert.That(found, Is.Empty, "what two commands show goes in Rendering/, what they do in the application core");
    }

    [Test]
    public void Scans_SeeTheCommandsFolder()
    {
        Assert.That(Lines().Count(), Is.GreaterThan(500), "the scans above read the commands");
        Assert.That(Sql().IsMatch("\"SELECT id FROM clients\""), Is.True);
        Assert.That(CommandReference().IsMatch("SyncCommand.Print(output)"), Is.True);
    }

    [GeneratedRegex(@"""[^""]*\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Sql();

    [GeneratedRegex(@"\b(\w+)Command\s*\.\s*\w+")]
    private static partial Regex CommandReference();
}

using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary>A plugin's report in process isolation: run in its worker; one that ends its worker fails <c>crmx report run</c>
/// in one line naming the plugin, and the host (this test process, which it would have ended in process) carries on.</summary>
public sealed partial class PluginWorkerTests
{
    private const string Views = "Test.CrashesInViews";

    [TestCase("exit", "ended its worker: the worker exited with code 42")]
    [TestCase("overflow", "Stack overflow")]
    public void BadReport_ReportRun_FailsInOneLineNamingIt_AndOtherReportsRun(string failure, string named)
    {
        using var folder = new TempDirectory();
        var environment = ReportingFolder(folder.Path, "CrashesInViews");
        environment[$"CRMX__plugins__settings__{Views}__failure"] = failure;

        var list = Crmx.Run(folder.Path, environment, "report", "list");
        var bad = Crmx.Run(folder.Path, environment, "report", "run", $"{Views}/crash", "--to", "2025-06-30");
        var good = Crmx.Run(folder.Path, environment, "report", "run", "range-echo", "--to", "2025-06-30", "--format", "csv");

        Assert.That(list.ExitCode, Is.Zero, list.Error);
        Assert.That(list.Out, Does.Match($@"\n{Views}/crash +Crashing report\n").And.Match(@"\nTest\.Reporting/range-echo +Range echo\n"));
        Assert.That(bad.ExitCode, Is.EqualTo(1), bad.Out + bad.Error);
        Assert.That(bad.Out, Is.Empty);
        // The failure is logged under the plugin's category, and the command's own error is one line.
        var lines = bad.Error.TrimEnd().Split('\n');
        Assert.That(lines[^1], Does.StartWith($"error: plugin '{Views}': report crash ended its worker: ").And.Contain(named));
        Assert.That(lines[..^1], Is.EqualTo(new[] { $"fail: {Views}: {lines[^1]["error: ".Length..]}" }));
        Assert.That((good.ExitCode, good.Error), Is.EqualTo((0, "")));
        Assert.That(good.Out, Does.StartWith("what,day,value\r\nfrom,"));
    }

    [Test]
    public void GoodReport_ReportRun_GivesTheSameInAWorkerAsInProcess()
    {
        using var folder = new TempDirectory();
        var environment = ReportingFolder(folder.Path);

        string Run(string isolation, string format)
        {
            var run = Crmx.Run(folder.Path, new Dictionary<string, string>(environment) { ["CRMX__plugins__isolation"] = isolation },
                "report", "run", "range-echo", "--from", "2025-01-01", "--to", "2025-06-30", "--as-of", "2025-06-15", "--format", format, "--culture", "en-US");
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            return run.Out;
        }

        foreach (var format in new[] { "csv", "html" })
        {
            var inWorker = Run("process", format);
            Assert.That(inWorker, Does.Contain("2025-06-15"));
            Assert.That(inWorker, Is.EqualTo(Run("inprocess", format)), format);
        }
    }

    /// <summary>A folder with no ledgers and the Reporting test plugin (and <paramref name="more"/>); its environment.</summary>
    private static Dictionary<string, string> ReportingFolder(string folder, params string[] more)
    {
        foreach (var plugin in more.Prepend("Reporting"))
        {
            TestFiles.InstallTestPlugin(plugin, Path.Combine(folder, "plugins"));
        }

        File.WriteAllText(Path.Combine(folder, "crmx.json"), """{ "ledgers": [], "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" } }""");
        return new Dictionary<string, string> { ["CRMX__plugins__quarantineAfter"] = "10" };
    }
}

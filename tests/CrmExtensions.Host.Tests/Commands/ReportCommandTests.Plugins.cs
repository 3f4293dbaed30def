using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary>A plugin's reports join the built-in ones: listed together, run by name, written in every format.</summary>
public sealed class ReportCommandPluginTests
{
    private static string InstallReportingPlugin(string folder)
    {
        TestFiles.InstallTestPlugin("Reporting", Path.Combine(folder, "plugins"));
        File.WriteAllText(Path.Combine(folder, "crmx.json"), """{ "ledgers": [], "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" } }""");
        return folder;
    }

    [Test]
    public void ListAndRun_PluginReports_JoinTheBuiltInOnes()
    {
        using var folder = new TempDirectory();
        InstallReportingPlugin(folder.Path);

        var list = Crmx.Run(folder.Path, "report", "list");
        var range = Crmx.Run(folder.Path, "report", "run", "range-echo", "--from", "2025-01-01", "--to", "2025-06-30", "--as-of", "2025-06-15", "--format", "csv");
        var day = Crmx.Run(folder.Path, "report", "run", "Test.Reporting/day-echo", "--to", "2025-06-30");
        var html = Crmx.Run(folder.Path, "report", "run", "range-echo", "--to", "2025-06-30", "--format", "html", "--culture", "en-US", "--currency", "USD");
        var unknown = Crmx.Run(folder.Path, "report", "run", "nope");

        Assert.That(list.ExitCode, Is.Zero, list.Error);
        Assert.That(list.Out, Does.Contain("crmx/pareto").And.Contain("crmx/dynamics")
            .And.Match(@"\nTest\.Reporting/range-echo +Range echo\n").And.Match(@"\nTest\.Reporting/day-echo +day-echo\n"));
        Assert.That(range.Out, Is.EqualTo("what,day,value\\r\\nfrom,2025-01-01,1.5\\r\\nto,2025-06-30,2.25\\r\\nas-of,2025-06-15,3\\r\\n".Replace("\\r\\n", "\r\n", StringComparison.Ordinal)));
        Assert.That(day.Out, Does.Contain("2025-06-30"));
        Assert.That(html.Out, Does.Contain("<svg").And.Contain("<td class=\"n\">2.25 USD</td>").And.Contain("<td class=\"n\">6.75 USD</td>"));
        Assert.That(unknown.ExitCode, Is.EqualTo(1));
        Assert.That(unknown.Error, Does.StartWith("error: No report 'nope'; 'crmx report list' shows them: crmx/pareto, "));
    }
}

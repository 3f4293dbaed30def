using System.Text.Json;
using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests;

/// <summary>Reports, card panels and pages in process isolation: run in the plugin's worker, the same result as in process;
/// a report, panel or page that ends its worker (Environment.Exit, a stack overflow) is a problem naming the plugin, and
/// this process, which would have ended with it in process, carries on with the other plugins.</summary>
public sealed partial class PluginRuntimeTests
{
    private const string Crashing = "Test.CrashesInViews";

    [Test]
    public async Task ReportsPanelsAndPages_InWorkers_AreWhatTheyAreInProcess()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        var plugins = TestPlugins.Install(root, "Reporting", "Panels");
        using var inProcess = await Load(plugins, store);
        using var inWorkers = await Load(plugins, store, Workers.Options());

        foreach (var runtime in new[] { inProcess, inWorkers })
        {
            Assert.That(runtime.Plugins.Select(p => p.State), Is.All.EqualTo(PluginState.Loaded));
        }

        Assert.That(await inWorkers.ListReportsAsync(), Is.EqualTo(await inProcess.ListReportsAsync()));
        foreach (var report in new[] { "range-echo", "day-echo" })
        {
            var there = await inWorkers.RunReportAsync("Test.Reporting", report, Request);
            var here = await inProcess.RunReportAsync("Test.Reporting", report, Request);
            Assert.That(there.Problem, Is.Null);
            Assert.That(JsonSerializer.Serialize(there.Table), Is.EqualTo(JsonSerializer.Serialize(here.Table)), report);
        }

        Assert.That((await inWorkers.RunReportAsync("Test.Reporting", "nope", Request)).Problem, Is.EqualTo("Plugin 'Test.Reporting' has no report 'nope'."));
        Assert.That(await inWorkers.RenderClientPanelsAsync("42"), Is.EqualTo(await inProcess.RenderClientPanelsAsync("42")));
        Assert.That(await inWorkers.ListPagesAsync(), Is.EqualTo(await inProcess.ListPagesAsync()));
        Assert.That(await inWorkers.RenderPageAsync("test.panels", "summary"), Is.EqualTo(await inProcess.RenderPageAsync("test.panels", "summary")).And.Not.Null);
        Assert.That(await inWorkers.RenderPageAsync("Test.Panels", "elsewhere"), Is.Null);
    }

    [TestCase("exit", "ended its worker: the worker exited with code 42")]
    [TestCase("overflow", "Stack overflow")]
    public async Task ReportPanelAndPage_EndingTheirWorker_AreProblemsNamingThePlugin_AndTheOthersRun(string failure, string named)
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        var options = Workers.Options().With(Crashing, "failure", failure);
        options.QuarantineAfter = 10;
        using var runtime = await Load(TestPlugins.Install(root, "Reporting", "Panels", "CrashesInViews"), store, options);

        var report = await runtime.RunReportAsync(Crashing, "crash", Request);
        var panels = await runtime.RenderClientPanelsAsync("42");
        var page = await runtime.RenderPageAsync(Crashing, "crash");
        var other = await runtime.RunReportAsync("Test.Reporting", "range-echo", Request);
        var again = await runtime.RunReportAsync(Crashing, "crash", Request);

        Assert.That(report.Table, Is.Null);
        Assert.That(report.Problem, Does.StartWith($"plugin '{Crashing}': report crash ended its worker: ").And.Contain(named));
        Assert.That(panels.Where(p => p.PluginId == "Test.Panels").Select(p => p.Title), Is.EqualTo(new[] { "Echo", "Throws", "Missing" }), "the other plugin's panels render");
        var crashed = panels.Single(p => p.PluginId == Crashing);
        Assert.That((crashed.Title, crashed.Html), Is.EqualTo(("CrashingPanel", (string?)null)));
        Assert.That(crashed.Problem, Does.StartWith($"plugin '{Crashing}': client panels ended its worker: ").And.Contain(named));
        Assert.That((page!.PluginId, page.Html), Is.EqualTo((Crashing, (string?)null)));
        Assert.That(page.Problem, Does.StartWith($"plugin '{Crashing}': page crash ended its worker: ").And.Contain(named));
        Assert.That(other.Table!.Rows, Has.Count.EqualTo(3), "the other plugin's report runs");
        Assert.That(again.Problem, Does.Contain("report crash ended its worker"), "its worker was started again for the next call");
    }

    [Test]
    public async Task Report_InAWorkerThatOverruns_IsKilledAtTheBudget_AndNamed()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        var options = Workers.Options(callBudget: TimeSpan.FromSeconds(1)).With(Crashing, "failure", "busy");
        using var runtime = await Load(TestPlugins.Install(root, "CrashesInViews"), store, options);

        var report = await runtime.RunReportAsync(Crashing, "crash", Request);

        Assert.That(report.Problem, Does.StartWith($"plugin '{Crashing}': report crash did not finish within its time budget of 1 s"));
    }

    [Test]
    public async Task Panels_OfAQuarantinedPlugin_AreNotRendered()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        var options = Workers.Options().With(Crashing, "failure", "exit");
        options.QuarantineAfter = 2;
        using var runtime = await Load(TestPlugins.Install(root, "CrashesInViews"), store, options);

        var first = await runtime.RenderClientPanelsAsync("42");
        var second = await runtime.RenderClientPanelsAsync("42");
        var third = await runtime.RenderClientPanelsAsync("42");

        Assert.That(first.Concat(second).Select(p => p.Problem), Has.All.Contain("client panels ended its worker"));
        Assert.That(third, Is.Empty, "quarantined after its second failure");
        Assert.That(runtime.Plugins.Single().State, Is.EqualTo(PluginState.Quarantined));
        Assert.That(await runtime.ListReportsAsync(), Is.Empty);
    }
}

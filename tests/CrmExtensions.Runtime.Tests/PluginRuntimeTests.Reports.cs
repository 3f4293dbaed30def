using CrmExtensions.Sdk.Reports;
using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests;

/// <summary>Plugin reports: SDK 1.1 range reports get the whole request, SDK 1.0 reports still run for their day.</summary>
public sealed partial class PluginRuntimeTests
{
    private static readonly ReportRequest Request = new() { From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 12, 31), AsOf = new DateOnly(2025, 12, 15) };

    [Test]
    public async Task ListReportsAsync_RangeAndDayReports_ListsBothWithTitles()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        using var runtime = await Load(TestPlugins.Install(root, "Reporting", "Good"), store);

        var reports = await runtime.ListReportsAsync();

        Assert.That(reports, Is.EquivalentTo(new[]
        {
            new PluginReportInfo("Test.Reporting", "range-echo", "Range echo"),
            new PluginReportInfo("Test.Reporting", "day-echo", "day-echo"),
            new PluginReportInfo("Test.Good", "seen", "seen"),
        }));
    }

    [Test]
    public async Task RunReportAsync_RangeReport_GetsTheWholeRequest()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        using var runtime = await Load(TestPlugins.Install(root, "Reporting"), store);

        var result = await runtime.RunReportAsync("Test.Reporting", "range-echo", Request);

        Assert.That(result.Problem, Is.Null);
        Assert.That(result.Table!.Rows.Select(r => r[1]), Is.EqualTo(new[] { "2025-01-01", "2025-12-31", "2025-12-15" }));
        Assert.That(result.Table.Chart!.Kind, Is.EqualTo(ReportChartKind.Bar));
    }

    [Test]
    public async Task RunReportAsync_SdkOneReport_RunsForTheAsOfDay()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        using var runtime = await Load(TestPlugins.Install(root, "Reporting"), store);

        var result = await runtime.RunReportAsync("Test.Reporting", "day-echo", Request);
        var legacy = await runtime.RunReportAsync("Test.Reporting", "range-echo", new DateOnly(2024, 6, 30));

        Assert.That(result.Table!.Rows.Single(), Is.EqualTo(new[] { "2025-12-15" }));
        Assert.That(legacy!.Rows.Select(r => r[1]), Is.EqualTo(new[] { "2023-07-01", "2024-06-30", "2024-06-30" }), "a one-day call asks a range report for the year up to the day");
    }

    [Test]
    public async Task RunReportAsync_UnknownReport_SaysWhich()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        using var runtime = await Load(TestPlugins.Install(root, "Reporting"), store);

        var result = await runtime.RunReportAsync("Test.Reporting", "nope", Request);

        Assert.That(result.Table, Is.Null);
        Assert.That(result.Problem, Is.EqualTo("Plugin 'Test.Reporting' has no report 'nope'."));
    }
}

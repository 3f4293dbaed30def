using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Reports;

[assembly: CrmPlugin("Test.Reporting", "1.0.0", Description = "Adds a range report (SDK 1.1) and a one-day report (SDK 1.0).")]

namespace Reporting;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) => plugin.AddReport<RangeEchoReport>().AddReport<DayEchoReport>();
}

/// <summary>Echoes the request it was given, with a bar chart hint: the tests check what the host passed.</summary>
public sealed class RangeEchoReport : IRangeReport
{
    public string Name => "range-echo";

    public string Title => "Range echo";

    public Task<ReportTable> RunAsync(ReportRequest request, CancellationToken cancellationToken) => Task.FromResult(new ReportTable
    {
        Columns = ["what", "day", "value"],
        Kinds = [ReportColumnKind.Text, ReportColumnKind.Text, ReportColumnKind.Money],
        Rows =
        [
            ["from", request.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "1.5"],
            ["to", request.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "2.25"],
            ["as-of", request.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "3"],
        ],
        Totals = ["total", "", "6.75"],
        Chart = new ReportChart { Kind = ReportChartKind.Bar, LabelColumn = "what", ValueColumns = ["value"] },
    });
}

/// <summary>A report as SDK 1.0 plugins write them: one day, no title.</summary>
public sealed class DayEchoReport : IReport
{
    public string Name => "day-echo";

    public Task<ReportTable> RunAsync(DateOnly asOf, CancellationToken cancellationToken) => Task.FromResult(new ReportTable
    {
        Columns = ["as-of"],
        Rows = [[asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]],
    });
}

namespace CrmExtensions.Sdk.Reports;

/// <summary>A report over a range of days, with a title and chart hints; added in SDK 1.1.</summary>
/// <remarks>
/// Registered like any report, with <see cref="IPluginBuilder.AddReport{TReport}"/>. A host that knows this interface
/// calls <see cref="RunAsync(ReportRequest, CancellationToken)"/>; the one-day <see cref="IReport.RunAsync"/> of SDK 1.0
/// is implemented here for it, asking for the twelve months up to that day. The host's own reports implement it too.
/// </remarks>
public interface IRangeReport : IReport
{
    /// <summary>Gets the report's title for people, such as <c>Overdue debt by manager</c>.</summary>
    string Title { get; }

    /// <summary>Runs the report.</summary>
    /// <param name="request">The range and the day balances are taken on.</param>
    /// <param name="cancellationToken">Cancelled when the report's time budget is spent.</param>
    /// <returns>The report's table; set <see cref="ReportTable.Chart"/> to have hosts draw it.</returns>
    Task<ReportTable> RunAsync(ReportRequest request, CancellationToken cancellationToken);

    /// <inheritdoc />
    Task<ReportTable> IReport.RunAsync(DateOnly asOf, CancellationToken cancellationToken) => RunAsync(ReportRequest.ForDay(asOf), cancellationToken);
}

namespace CrmExtensions.Sdk.Reports;

/// <summary>What a report is asked for: a range of days, the day balances are taken on, and how many rows to list.</summary>
/// <remarks>Ranges are inclusive at both ends. Hosts fill every property; the defaults suit a plugin's own tests.</remarks>
public sealed class ReportRequest
{
    /// <summary>Gets the first day of the range.</summary>
    public required DateOnly From { get; init; }

    /// <summary>Gets the last day of the range.</summary>
    public required DateOnly To { get; init; }

    /// <summary>Gets the day balances (such as debts and their age) are taken on.</summary>
    /// <value>Usually <see cref="To"/>.</value>
    public required DateOnly AsOf { get; init; }

    /// <summary>Gets how many rows the report should list at most; totals still cover every row.</summary>
    /// <value>Null for the report's own default.</value>
    public int? Top { get; init; }

    /// <summary>Creates the request a host makes for an SDK 1.0 report run for one day: the twelve months up to it.</summary>
    /// <param name="asOf">The day.</param>
    /// <returns>The request.</returns>
    public static ReportRequest ForDay(DateOnly asOf) => new() { From = asOf.AddYears(-1).AddDays(1), To = asOf, AsOf = asOf };
}

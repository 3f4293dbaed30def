using System.Globalization;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using Dapper;

namespace CrmExtensions.Reports.Builtin;

/// <summary>Open receivables of one client (or of all, in <see cref="AgingResult.Totals"/>) by days past due, in stored ten-thousandths.</summary>
public sealed record AgingRow(long? Id, string? Name, long NotDue, long Days30, long Days60, long Days90, long Over90, long Total, long Invoices);

/// <summary>The clients that owe most, and the totals over every client.</summary>
public sealed record AgingResult(IReadOnlyList<AgingRow> Top, AgingRow Totals, long Clients);

/// <summary>Receivables aging: open amounts by days past due (current, 1–30, 31–60, 61–90, over 90) per client and in total.</summary>
/// <remarks>
/// An invoice is open when the store has not seen it settled and its paid amount is below its amount; it is open for
/// the difference. Days past due count from its due date (its issue date when it has none) to the request's as-of day;
/// invoices issued after that day are left out. Settlement is what the store knows now, not what it was on that day.
/// </remarks>
public sealed class AgingReport(CrmStore store) : StoreReport(store)
{
    /// <inheritdoc />
    public override string Name => "aging";

    /// <inheritdoc />
    public override string Title => "Receivables aging by client";

    /// <summary>Computes the report.</summary>
    public AgingResult Compute(ReportRequest request, int top)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var connection = Store.Open();
        var args = new
        {
            asOf = ReportSql.Day(request.AsOf),
            d30 = ReportSql.Day(request.AsOf.AddDays(-30)),
            d60 = ReportSql.Day(request.AsOf.AddDays(-60)),
            d90 = ReportSql.Day(request.AsOf.AddDays(-90)),
        };
        // Tuples, not the record: Dapper matches a constructor by column types before the first row is read, and SQLite
        // types computed columns only from a row.
        var (topSql, topArgs) = Statement(ReportSql.AgingBuckets + Store.Dialect.Top(ReportSql.AgingTopSelect, top), args);
        var rows = connection.Query<(long? Id, string? Name, long NotDue, long Days30, long Days60, long Days90, long Over90, long Total, long Invoices)>(topSql, topArgs)
            .Select(r => new AgingRow(r.Id, r.Name, r.NotDue, r.Days30, r.Days60, r.Days90, r.Over90, r.Total, r.Invoices)).ToList();
        var (totalsSql, totalsArgs) = Statement(ReportSql.AgingBuckets + ReportSql.AgingTotalsSelect, args);
        var totals = connection.QuerySingle<(long Clients, long NotDue, long Days30, long Days60, long Days90, long Over90, long Total, long Invoices)>(totalsSql, totalsArgs);
        return new AgingResult(rows, new AgingRow(null, "total", totals.NotDue, totals.Days30, totals.Days60, totals.Days90, totals.Over90, totals.Total, totals.Invoices), totals.Clients);
    }

    private protected override string NotConvertedSql => ReportSql.AgingNotConverted;

    private protected override ReportTable Build(ReportRequest request)
    {
        var result = Compute(request, TopOf(request));
        return new ReportTable
        {
            Columns = ["client", "name", "current", "1–30", "31–60", "61–90", "90+", "total", "invoices"],
            Kinds =
            [
                ReportColumnKind.Text, ReportColumnKind.Text, ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money,
                ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Number,
            ],
            Rows = result.Top.Select(r => Cells(r.Id?.ToString(CultureInfo.InvariantCulture) ?? "", r.Id is null ? "(counterparties in no client)" : r.Name ?? "", r)).ToList(),
            Totals = Cells(CountCell(result.Clients), "clients", result.Totals),
            Notes =
            [
                $"Open amounts as of {ReportSql.Day(request.AsOf)} by days past due (from the due date, or the issue date without one); the most overdue first.",
                "Open: not seen settled by the store, amount minus paid amount. Payments that name no invoice settle nothing here.",
                .. NotConvertedNotes(request, "open amounts"),
            ],
            Chart = new ReportChart { Kind = ReportChartKind.StackedBar, LabelColumn = "name", ValueColumns = ["current", "1–30", "31–60", "61–90", "90+"] },
        };
    }

    private static string[] Cells(string id, string name, AgingRow r) =>
        [id, name, MoneyCell(r.NotDue), MoneyCell(r.Days30), MoneyCell(r.Days60), MoneyCell(r.Days90), MoneyCell(r.Over90), MoneyCell(r.Total), CountCell(r.Invoices)];
}

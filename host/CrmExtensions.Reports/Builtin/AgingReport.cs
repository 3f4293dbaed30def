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
    /// <remarks>One pass over the open invoices, each added to its client's bucket in the host: the database streams them
    /// through the covering index of open invoices instead of grouping them twice (once for the rows, once for the
    /// totals). The most overdue first: by what is past due, then by the whole open amount, then by client id.</remarks>
    public AgingResult Compute(ReportRequest request, int top)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var connection = Store.Open();
        var asOf = ReportSql.Day(request.AsOf);
        string[] bounds = [asOf, ReportSql.Day(request.AsOf.AddDays(-30)), ReportSql.Day(request.AsOf.AddDays(-60)), ReportSql.Day(request.AsOf.AddDays(-90))];
        var (sql, args) = Statement(ReportSql.AgingRows, new { asOf });
        var clients = new Dictionary<long, long[]>();
        using (var reader = connection.ExecuteReader(sql, args))
        {
            while (reader.Read())
            {
                // Client ids start at 1: 0 gathers the invoices of counterparties in no client.
                var id = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
                if (!clients.TryGetValue(id, out var sums))
                {
                    clients[id] = sums = new long[7];
                }

                // Dates are yyyy-MM-dd text, so the bucket is found by comparing text: due on or after @asOf is not due yet.
                var due = reader.GetString(1);
                var bucket = 0;
                while (bucket < bounds.Length && string.CompareOrdinal(due, bounds[bucket]) < 0)
                {
                    bucket++;
                }

                var amount = reader.GetInt64(2);
                sums[bucket] += amount;
                sums[5] += amount;
                sums[6]++;
            }
        }

        var rows = clients.Select(c => Row(c.Key == 0 ? null : c.Key, null, c.Value)).ToList();
        rows.Sort(static (a, b) =>
            a.Total - a.NotDue != b.Total - b.NotDue ? (b.Total - b.NotDue).CompareTo(a.Total - a.NotDue)
            : a.Total != b.Total ? b.Total.CompareTo(a.Total)
            : (a.Id ?? 0).CompareTo(b.Id ?? 0));
        var named = rows.Take(top).Select(r => r.Id is { } id ? r with { Name = connection.QueryFirstOrDefault<string?>(ReportSql.ClientNameSql, new { id }) } : r).ToList();
        var totals = new AgingRow(null, "total", rows.Sum(r => r.NotDue), rows.Sum(r => r.Days30), rows.Sum(r => r.Days60), rows.Sum(r => r.Days90),
            rows.Sum(r => r.Over90), rows.Sum(r => r.Total), rows.Sum(r => r.Invoices));
        return new AgingResult(named, totals, rows.Count);
    }

    private static AgingRow Row(long? id, string? name, long[] s) => new(id, name, s[0], s[1], s[2], s[3], s[4], s[5], s[6]);

    private protected override string NotConvertedSql => ReportSql.AgingNotConverted(Store.Dialect);

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

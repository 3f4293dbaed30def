using System.Globalization;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using Dapper;

namespace CrmExtensions.Reports.Builtin;

/// <summary>One month: revenue in stored ten-thousandths, invoices, new and lost clients.</summary>
public sealed record MonthRow(string Month, long Revenue, long Invoices, long NewClients, long LostClients);

/// <summary>Revenue and new and lost clients by month.</summary>
/// <remarks>
/// A client is new in the month of its first invoice ever. It is lost in the month of its last invoice (up to the end
/// of the range) when no invoice followed within six months: so the last six months of a range show no lost clients yet.
/// </remarks>
public sealed class DynamicsReport(CrmStore store) : StoreReport(store)
{
    /// <summary>How long a client may go without an invoice before it counts as lost.</summary>
    public const int LostAfterMonths = 6;

    /// <inheritdoc />
    public override string Name => "dynamics";

    /// <inheritdoc />
    public override string Title => "Dynamics: revenue, new and lost clients by month";

    /// <summary>Computes every month of the range, in order, months without invoices included.</summary>
    public IReadOnlyList<MonthRow> Compute(ReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var connection = Store.Open();
        var args = new
        {
            from = ReportSql.Day(request.From),
            to = ReportSql.Day(request.To),
            lostBy = ReportSql.Day(request.To.AddMonths(-LostAfterMonths)),
        };
        var (clientsSql, clientsArgs) = Statement(ReportSql.MonthlyClients(Store.Dialect), args);
        Dictionary<(string Kind, string Month), long> clients;
        using (var transaction = InIndexOrder(connection))
        {
            clients = connection.Query<(string Kind, string Month, long Clients)>(clientsSql, clientsArgs, transaction).ToDictionary(r => (r.Kind, r.Month), r => r.Clients);
        }

        var rows = new List<MonthRow>();
        for (var month = new DateOnly(request.From.Year, request.From.Month, 1); month <= request.To; month = month.AddMonths(1))
        {
            var key = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var first = month < request.From ? request.From : month;
            var last = month.AddMonths(1).AddDays(-1) > request.To ? request.To : month.AddMonths(1).AddDays(-1);
            var (revenueSql, revenueArgs) = Statement(ReportSql.RangeRevenue, new { from = ReportSql.Day(first), to = ReportSql.Day(last) });
            var r = connection.QuerySingle<(long Amount, long Invoices)>(revenueSql, revenueArgs);
            rows.Add(new MonthRow(key, r.Amount, r.Invoices, clients.GetValueOrDefault(("new", key)), clients.GetValueOrDefault(("lost", key))));
        }

        return rows;
    }

    private protected override ReportTable Build(ReportRequest request)
    {
        var months = Compute(request);
        return new ReportTable
        {
            Columns = ["month", "revenue", "invoices", "new clients", "lost clients"],
            Kinds = [ReportColumnKind.Text, ReportColumnKind.Money, ReportColumnKind.Number, ReportColumnKind.Number, ReportColumnKind.Number],
            Rows = months.Select(m => (IReadOnlyList<string>)[m.Month, MoneyCell(m.Revenue), CountCell(m.Invoices), CountCell(m.NewClients), CountCell(m.LostClients)]).ToList(),
            Totals = ["total", MoneyCell(months.Sum(m => m.Revenue)), CountCell(months.Sum(m => m.Invoices)), CountCell(months.Sum(m => m.NewClients)), CountCell(months.Sum(m => m.LostClients))],
            Notes =
            [
                $"Revenue: invoices issued {Range(request)}. New: the client's first invoice ever falls in the month.",
                $"Lost: the client's last invoice falls in the month and none followed within {LostAfterMonths} months (so the last {LostAfterMonths} months show none yet).",
                .. NotConvertedNotes(request, "revenue"),
            ],
            Chart = new ReportChart { Kind = ReportChartKind.Line, LabelColumn = "month", ValueColumns = ["revenue", "new clients", "lost clients"] },
        };
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Reports.Builtin;

/// <summary>One manager's figures; money in stored ten-thousandths.</summary>
public sealed record ManagerRow(string? Manager, long Contacts, long DealsOpened, long DealsWon, long Revenue, long RevenueClients, long Overdue, long OverdueClients);

/// <summary>Per manager: contacts logged, deals opened and won, revenue, and the overdue debt of their clients.</summary>
/// <remarks>
/// A client's manager is the <c>manager</c> column of its head counterparties in the ledger (the first by name when
/// they differ), else of any of its counterparties. Contacts are activities that happened in the range (for the manager who logged them); deals opened were
/// created in it, deals won were closed as won (or reached a stage named won, closed-won, выиграна, успешно) in it; both for the deal owner.
/// </remarks>
public sealed class ManagersReport(CrmStore store) : StoreReport(store)
{
    /// <inheritdoc />
    public override string Name => "managers";

    /// <inheritdoc />
    public override string Title => "Managers: contacts, deals, revenue and overdue debt";

    /// <inheritdoc />
    public override int DefaultTop => 50;

    /// <summary>Computes every manager's figures, largest revenue first; the manager null gathers clients without one.</summary>
    /// <remarks>Revenue per client comes from the one pass the Pareto report reads (<see cref="RevenueTally"/>), overdue debt
    /// per client from the open invoices' index; both are then added up per manager in the host through each client's
    /// manager (<see cref="ClientMoneySql.Managers"/>), read once. Joining every invoice to its client's manager in the
    /// database sorted a year of invoices per manager, twice.</remarks>
    public IReadOnlyList<ManagerRow> Compute(ReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var connection = Store.Open();
        var args = new
        {
            from = ReportSql.Day(request.From),
            to = ReportSql.Day(request.To),
            toNext = ReportSql.Day(request.To.AddDays(1)),
            asOf = ReportSql.Day(request.AsOf),
        };
        var managers = new Dictionary<long, string?>();
        using (var reader = connection.ExecuteReader(ClientMoneySql.Managers))
        {
            while (reader.Read())
            {
                managers[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        string? ManagerOf(long? client) => client is { } id ? managers.GetValueOrDefault(id) : null;

        // Each manager's figures, added to in place: once per client with revenue or overdue debt, once per count row.
        var figures = new Dictionary<string, Figures>(StringComparer.Ordinal);
        Figures Of(string? manager)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(figures, manager ?? "", out _);
            return entry ??= new Figures(manager);
        }

        foreach (var client in RevenueTally.ByClient(Revenue(connection, request)))
        {
            var f = Of(ManagerOf(client.Key));
            f.Revenue += client.Amount;
            f.RevenueClients += client.Key is null ? 0 : 1;
        }

        var (overdueSql, overdueArgs) = Statement(ReportSql.OverdueByClient, args);
        foreach (var (client, amount, _) in connection.Query<(long? Client, long Amount, long Invoices)>(overdueSql, overdueArgs))
        {
            var f = Of(ManagerOf(client));
            f.Overdue += amount;
            f.OverdueClients += client is null ? 0 : 1;
        }

        var (countsSql, countsArgs) = Statement(ReportSql.ManagerCounts, args);
        foreach (var (measure, named, client, count) in connection.Query<(string Measure, string? Manager, long? Client, long Count)>(countsSql, countsArgs))
        {
            var f = Of(named ?? ManagerOf(client));
            switch (measure)
            {
                case "contacts":
                    f.Contacts += count;
                    break;
                case "opened":
                    f.DealsOpened += count;
                    break;
                default:
                    f.DealsWon += count;
                    break;
            }
        }

        return figures.Values.Select(f => new ManagerRow(f.Manager, f.Contacts, f.DealsOpened, f.DealsWon, f.Revenue, f.RevenueClients, f.Overdue, f.OverdueClients))
            .OrderByDescending(r => r.Revenue).ThenBy(r => r.Manager is null).ThenBy(r => r.Manager, StringComparer.Ordinal).ToList();
    }

    /// <summary>One manager's figures while they are added up.</summary>
    private sealed class Figures(string? manager)
    {
        public string? Manager { get; } = manager;

        public long Contacts, DealsOpened, DealsWon, Revenue, RevenueClients, Overdue, OverdueClients;
    }

    private protected override ReportTable Build(ReportRequest request)
    {
        var all = Compute(request);
        var total = new ManagerRow(null, all.Sum(r => r.Contacts), all.Sum(r => r.DealsOpened), all.Sum(r => r.DealsWon), all.Sum(r => r.Revenue),
            all.Sum(r => r.RevenueClients), all.Sum(r => r.Overdue), all.Sum(r => r.OverdueClients));
        return new ReportTable
        {
            Columns = ["manager", "contacts", "deals opened", "deals won", "revenue", "clients billed", "overdue debt", "clients overdue"],
            Kinds =
            [
                ReportColumnKind.Text, ReportColumnKind.Number, ReportColumnKind.Number, ReportColumnKind.Number, ReportColumnKind.Money,
                ReportColumnKind.Number, ReportColumnKind.Money, ReportColumnKind.Number,
            ],
            Rows = all.Take(TopOf(request)).Select(r => Cells(r.Manager ?? "(no manager)", r)).ToList(),
            Totals = Cells(all.Count.ToString(CultureInfo.InvariantCulture) + " managers", total),
            Notes =
            [
                $"Contacts, deals and revenue (invoices issued) {Range(request)}; overdue debt as of {ReportSql.Day(request.AsOf)}.",
                "A client's manager is the manager of its head counterparty in the ledger.",
                .. NotConvertedNotes(request, "revenue"),
                .. NotConvertedNotes(request, "overdue debt", ClientMoneySql.OverdueNotConverted),
            ],
            Chart = new ReportChart { Kind = ReportChartKind.Bar, LabelColumn = "manager", ValueColumns = ["revenue", "overdue debt"] },
        };
    }

    private static string[] Cells(string manager, ManagerRow r) =>
        [manager, CountCell(r.Contacts), CountCell(r.DealsOpened), CountCell(r.DealsWon), MoneyCell(r.Revenue), CountCell(r.RevenueClients), MoneyCell(r.Overdue), CountCell(r.OverdueClients)];
}

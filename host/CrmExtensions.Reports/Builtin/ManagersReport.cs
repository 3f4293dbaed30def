using System.Globalization;
using System.Runtime.InteropServices;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
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
    /// <remarks>Revenue per client is grouped in the order of the client's index (<see cref="RevenueTally.ClientRows"/>: no
    /// counterparty is needed here), overdue debt per client in the order of the open invoices' index; both are then added
    /// up per manager in the host through each client's manager (<see cref="ClientMoneySql.Managers"/>), read once: from the
    /// client directory's rows when they were computed from the members and counterparties as they are now (the running host
    /// keeps them so each cycle), else by that statement, which looks every member's counterparty up (a second at a million).
    /// Joining every invoice to its client's manager in the database sorted a year of invoices per manager, twice.</remarks>
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
        // Each manager's figures, added to in place: once per client with revenue or overdue debt, once per count row.
        var figures = new Dictionary<string, Figures>(StringComparer.Ordinal);
        Figures Of(string? manager)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(figures, manager ?? "", out _);
            return entry ??= new Figures(manager);
        }

        // Each client's manager's figures: a client's money is added to them without looking its manager's name up again.
        var unmanaged = Of(null);
        var clients = new Dictionary<long, Figures>();
        using (var reader = connection.ExecuteReader(ClientDirectoryWriter.CurrentManagersSql(connection) ?? ClientMoneySql.Managers))
        {
            while (reader.Read())
            {
                var f = reader.IsDBNull(1) ? unmanaged : Of(reader.GetString(1));
                if (f != unmanaged)
                {
                    clients[reader.GetInt64(0)] = f;
                }
            }
        }

        Figures ManagerOf(long? client) => client is { } id ? clients.GetValueOrDefault(id) ?? unmanaged : unmanaged;

        using (var transaction = InIndexOrder(connection))
        {
            foreach (var (client, amount) in Sums(connection, RevenueTally.ClientRows(Store.Dialect), args, transaction))
            {
                ManagerOf(client).AddRevenue(amount, client is not null);
            }
        }

        foreach (var (client, amount) in Sums(connection, ReportSql.OverdueByClient, args))
        {
            ManagerOf(client).AddOverdue(amount, client is not null);
        }

        var (countsSql, countsArgs) = Statement(ReportSql.ManagerCounts, args);
        foreach (var (measure, named, client, count) in connection.Query<(string Measure, string? Manager, long? Client, long Count)>(countsSql, countsArgs))
        {
            (named is null ? ManagerOf(client) : Of(named)).AddCount(measure, count);
        }

        return figures.Values.Where(f => f.Listed).Select(f => new ManagerRow(f.Manager, f.Contacts, f.DealsOpened, f.DealsWon, f.Revenue, f.RevenueClients, f.Overdue, f.OverdueClients))
            .OrderByDescending(r => r.Revenue).ThenBy(r => r.Manager is null).ThenBy(r => r.Manager, StringComparer.Ordinal).ToList();
    }

    /// <summary>The rows <c>(client, amount, ...)</c> of a statement per client, as the report sends it.</summary>
    private IEnumerable<(long? Client, long Amount)> Sums(System.Data.Common.DbConnection connection, string sql, object args, System.Data.Common.DbTransaction? transaction = null)
    {
        var (statement, parameters) = Statement(sql, args);
        using var reader = connection.ExecuteReader(statement, parameters, transaction);
        while (reader.Read())
        {
            yield return (reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    /// <summary>One manager's figures while they are added up; listed once anything was added to them (a manager whose
    /// clients have neither revenue, nor overdue debt, nor contacts or deals is not).</summary>
    private sealed class Figures(string? manager)
    {
        public string? Manager { get; } = manager;

        public bool Listed { get; private set; }

        public long Contacts, DealsOpened, DealsWon, Revenue, RevenueClients, Overdue, OverdueClients;

        public void AddRevenue(long amount, bool ofAClient)
        {
            Listed = true;
            Revenue += amount;
            RevenueClients += ofAClient ? 1 : 0;
        }

        public void AddOverdue(long amount, bool ofAClient)
        {
            Listed = true;
            Overdue += amount;
            OverdueClients += ofAClient ? 1 : 0;
        }

        public void AddCount(string measure, long count)
        {
            Listed = true;
            switch (measure)
            {
                case "contacts":
                    Contacts += count;
                    break;
                case "opened":
                    DealsOpened += count;
                    break;
                default:
                    DealsWon += count;
                    break;
            }
        }
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
                .. NotConvertedNotes(request, "overdue debt", ClientMoneySql.OverdueNotConverted(Store.Dialect)),
            ],
            Chart = new ReportChart { Kind = ReportChartKind.Bar, LabelColumn = "manager", ValueColumns = ["revenue", "overdue debt"] },
        };
    }

    private static string[] Cells(string manager, ManagerRow r) =>
        [manager, CountCell(r.Contacts), CountCell(r.DealsOpened), CountCell(r.DealsWon), MoneyCell(r.Revenue), CountCell(r.RevenueClients), MoneyCell(r.Overdue), CountCell(r.OverdueClients)];
}

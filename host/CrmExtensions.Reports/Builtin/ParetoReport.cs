using System.Globalization;
using System.Data.Common;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Reports.Builtin;

/// <summary>One ranked row of a Pareto ranking: a client, or a ledger counterparty before unification.</summary>
/// <param name="Key">The client id, or <c>ledger:id</c>; null for invoices of counterparties in no client.</param>
/// <param name="Name">The client's or counterparty's name.</param>
/// <param name="Amount">Revenue in stored ten-thousandths.</param>
/// <param name="Invoices">Invoices counted.</param>
/// <param name="Running">Revenue of this row and every row ranked before it.</param>
/// <param name="Class">A, B or C.</param>
public sealed record ParetoRow(string? Key, string? Name, long Amount, long Invoices, long Running, string Class);

/// <summary>One class of a ranking: how many rows and how much revenue.</summary>
public sealed record ParetoClass(string Class, long Count, long Amount, long Invoices);

/// <summary>A ranking: its top rows, its classes and its total.</summary>
public sealed record ParetoRanking(IReadOnlyList<ParetoRow> Top, IReadOnlyList<ParetoClass> Classes, long Total)
{
    /// <summary>How many rows the whole ranking has.</summary>
    public long Count => Classes.Sum(c => c.Count);
}

/// <summary>
/// ABC classes of unified clients by revenue (A brings the first 80 %, B the next 15 %, C the rest), with the same
/// ranking over the ledgers' own counterparties beside it: the difference is what unification shows.
/// </summary>
/// <remarks>Revenue is the amount of invoices issued in the range (accrual), not payments received.</remarks>
public sealed class ParetoReport(CrmStore store) : StoreReport(store)
{
    /// <inheritdoc />
    public override string Name => "pareto";

    /// <inheritdoc />
    public override string Title => "Pareto: ABC classes of clients by revenue";

    /// <summary>Ranks unified clients.</summary>
    /// <remarks>One pass over the range's invoices (<see cref="RevenueTally"/>); each row is classed by the revenue ranked
    /// before it (the rule of <see cref="ClientMoneySql.ParetoClass"/>); the first <paramref name="top"/> are kept and
    /// named, the rest only counted into their class.</remarks>
    public ParetoRanking Clients(ReportRequest request, int top)
    {
        using var connection = Store.Open();
        return Clients(connection, Revenue(connection, request), top);
    }

    /// <summary>Ranks the ledgers' counterparties as they are, before unification; one pass, as <see cref="Clients(ReportRequest, int)"/>.</summary>
    public ParetoRanking Entities(ReportRequest request, int top)
    {
        using var connection = Store.Open();
        return Entities(connection, Revenue(connection, request), top);
    }

    private static ParetoRanking Clients(DbConnection connection, List<CounterpartyRevenue> revenue, int top)
    {
        var kept = Rank(RevenueTally.ByClient(revenue), top, out var counter);
        var rows = kept.Select(k => new ParetoRow(k.Row.Key?.ToString(CultureInfo.InvariantCulture),
            k.Row.Key is { } id ? connection.QueryFirstOrDefault<string?>(ReportSql.ClientNameSql, new { id }) : "(counterparties in no client)",
            k.Row.Amount, k.Row.Invoices, k.Running, k.Class)).ToList();
        return counter.Ranking(rows);
    }

    private static ParetoRanking Entities(DbConnection connection, List<CounterpartyRevenue> revenue, int top)
    {
        var kept = Rank(RevenueTally.ByCounterparty(revenue), top, out var counter);

        // Names only for the rows listed, once the ranking has been read.
        var rows = kept.Select(k => new ParetoRow(k.Row.Key.Ledger + ":" + k.Row.Key.Id,
            connection.QueryFirstOrDefault<string?>(ReportSql.CounterpartyNameSql, new { ledger = k.Row.Key.Ledger, id = k.Row.Key.Id }),
            k.Row.Amount, k.Row.Invoices, k.Running, k.Class)).ToList();
        return counter.Ranking(rows);
    }

    /// <summary>Classes every ranked row by the revenue ranked before it, counts the classes and keeps the first rows.</summary>
    private static List<(RankedRevenue<T> Row, long Running, string Class)> Rank<T>(List<RankedRevenue<T>> ranked, int top, out ClassCounter counter)
    {
        var total = 0L;
        foreach (var row in ranked)
        {
            total += row.Amount;
        }

        counter = new ClassCounter();
        var kept = new List<(RankedRevenue<T>, long, string)>();
        var running = 0L;
        foreach (var row in ranked)
        {
            var cls = ClientMoneySql.ParetoClassOf(running, total);
            running += row.Amount;
            counter.Add(cls, row.Amount, row.Invoices);
            if (kept.Count < top)
            {
                kept.Add((row, running, cls));
            }
        }

        return kept;
    }

    /// <summary>Counts rows and sums revenue and invoices per class as the ranking streams past.</summary>
    private sealed class ClassCounter
    {
        private readonly Dictionary<string, (long Count, long Amount, long Invoices)> _classes = new(StringComparer.Ordinal);

        public void Add(string cls, long amount, long invoices)
        {
            var c = _classes.GetValueOrDefault(cls);
            _classes[cls] = (c.Count + 1, c.Amount + amount, c.Invoices + invoices);
        }

        public ParetoRanking Ranking(List<ParetoRow> rows) =>
            ParetoReport.Ranking(_classes.Select(c => new ParetoClass(c.Key, c.Value.Count, c.Value.Amount, c.Value.Invoices)), rows);
    }

    private static ParetoRanking Ranking(IEnumerable<ParetoClass> classes, List<ParetoRow> rows)
    {
        var byClass = classes.ToDictionary(c => c.Class);
        var all = ClassNames.Select(c => byClass.GetValueOrDefault(c) ?? new ParetoClass(c, 0, 0, 0)).ToList();
        return new ParetoRanking(rows, all, all.Sum(c => c.Amount));
    }

    private static readonly string[] ClassNames = ["A", "B", "C"];

    /// <summary>The caption of the unified clients' ranking.</summary>
    public const string ClientsCaption = "Unified clients";

    /// <summary>The caption of the ledgers' own counterparties' ranking.</summary>
    public const string LedgersCaption = "Ledger counterparties as they are (before unification)";

    private protected override ReportTable Build(ReportRequest request) => BuildSections(request)[0].Table;

    /// <summary>Two tables, each ranked on its own: row N of one has nothing to do with row N of the other.</summary>
    private protected override IReadOnlyList<ReportSection> BuildSections(ReportRequest request)
    {
        var top = TopOf(request);
        ParetoRanking clients, entities;
        using (var connection = Store.Open())
        {
            var revenue = Revenue(connection, request);
            clients = Clients(connection, revenue, top);
            entities = Entities(connection, revenue, top);
        }

        var notes = new List<string>
        {
            $"Revenue: invoices issued {Range(request)} (accrual; payments are not counted). A brings the first 80 % of revenue, B the next 15 %, C the rest.",
        };
        foreach (var (c, e) in clients.Classes.Zip(entities.Classes))
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Class {c.Class}: {c.Count:N0} clients ({Percent(c.Count, clients.Count):0.0} %) bring {Percent(c.Amount, clients.Total):0.0} %; " +
                $"in the ledgers as they are, {e.Count:N0} counterparties ({Percent(e.Count, entities.Count):0.0} %) bring {Percent(e.Amount, entities.Total):0.0} %."));
        }

        notes.AddRange(NotConvertedNotes(request, "revenue"));
        return
        [
            new ReportSection(ClientsCaption, Table(clients, "client", "clients", notes,
                new ReportChart { Kind = ReportChartKind.Pareto, LabelColumn = "name", ValueColumns = ["revenue", "cumulative %"] })),
            new ReportSection(LedgersCaption, Table(entities, "counterparty", "counterparties", [], null)),
        ];
    }

    private static ReportTable Table(ParetoRanking ranking, string key, string plural, IReadOnlyList<string> notes, ReportChart? chart) => new()
    {
        Columns = ["#", key, "name", "revenue", "cumulative %", "class"],
        Kinds = [ReportColumnKind.Number, ReportColumnKind.Text, ReportColumnKind.Text, ReportColumnKind.Money, ReportColumnKind.Number, ReportColumnKind.Text],
        Rows = ranking.Top.Select((r, i) => (IReadOnlyList<string>)
            [CountCell(i + 1), r.Key ?? "", r.Name ?? "", MoneyCell(r.Amount), PercentCell(Percent(r.Running, ranking.Total)), r.Class]).ToList(),
        Totals = ["", CountCell(ranking.Count), plural, MoneyCell(ranking.Total), "100.0", ""],
        Notes = notes,
        Chart = chart,
    };
}

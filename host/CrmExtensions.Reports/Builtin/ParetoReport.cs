using System.Globalization;
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
/// <param name="Running">Revenue of this row and every row ranked before it.</param>
/// <param name="Class">A, B or C.</param>
public sealed record ParetoRow(string? Key, string? Name, long Amount, long Running, string Class);

/// <summary>One class of a ranking: how many rows and how much revenue.</summary>
public sealed record ParetoClass(string Class, long Count, long Amount);

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
/// <remarks>
/// Revenue is the amount of invoices issued in the range (accrual), not payments received. Both rankings come from one
/// pass over the range's invoices grouped per counterparty (<see cref="RevenueTally"/>), ranked in the host as the rows
/// stream past.
/// </remarks>
public sealed class ParetoReport(CrmStore store) : StoreReport(store)
{
    /// <inheritdoc />
    public override string Name => "pareto";

    /// <inheritdoc />
    public override string Title => "Pareto: ABC classes of clients by revenue";

    /// <summary>Ranks unified clients.</summary>
    /// <remarks>Each row is classed by the revenue ranked before it (the rule of <see cref="ClientMoneySql.ParetoClass"/>);
    /// the first <paramref name="top"/> are kept and named, the rest only counted into their class.</remarks>
    public ParetoRanking Clients(ReportRequest request, int top) => Rankings(request, top).Clients;

    /// <summary>Ranks the ledgers' counterparties as they are, before unification; one pass, as <see cref="Clients(ReportRequest, int)"/>.</summary>
    public ParetoRanking Entities(ReportRequest request, int top) => Rankings(request, top).Entities;

    /// <summary>Both rankings, from one pass over the range's invoices.</summary>
    private (ParetoRanking Clients, ParetoRanking Entities) Rankings(ReportRequest request, int top)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var connection = Store.Open();
        var (sql, arguments) = Statement(RevenueTally.CounterpartyRows(Store.Dialect), new { from = ReportSql.Day(request.From), to = ReportSql.Day(request.To) });
        RevenueRankingResult<(string Ledger, string Id)> counterparties;
        RevenueRankingResult<long> clients;

        using (var transaction = InIndexOrder(connection))
        {
            using var reader = connection.ExecuteReader(sql, arguments, transaction);
            (counterparties, clients) = RevenueTally.Rank(reader, top);
        }

        // Names only for the rows listed, once the ranking has been read.
        return (Ranking(clients, r => r.Key == 0
                ? new ParetoRow(null, "(counterparties in no client)", r.Amount, r.Running, r.Class)
                : new ParetoRow(r.Key.ToString(CultureInfo.InvariantCulture), connection.QueryFirstOrDefault<string?>(ReportSql.ClientNameSql, new { id = r.Key }), r.Amount, r.Running, r.Class)),
            Ranking(counterparties, r => new ParetoRow(r.Key.Ledger + ":" + r.Key.Id,
                connection.QueryFirstOrDefault<string?>(ReportSql.CounterpartyNameSql, new { ledger = r.Key.Ledger, id = r.Key.Id }), r.Amount, r.Running, r.Class)));
    }

    private static ParetoRanking Ranking<TKey>(RevenueRankingResult<TKey> ranking, Func<RankedRevenue<TKey>, ParetoRow> row) =>
        new([.. ranking.Top.Select(row)], [.. ranking.Classes.Select(c => new ParetoClass(c.Class, c.Count, c.Amount))], ranking.Total);

    /// <summary>The caption of the unified clients' ranking.</summary>
    public const string ClientsCaption = "Unified clients";

    /// <summary>The caption of the ledgers' own counterparties' ranking.</summary>
    public const string LedgersCaption = "Ledger counterparties as they are (before unification)";

    private protected override ReportTable Build(ReportRequest request) => BuildSections(request)[0].Table;

    /// <summary>Two tables, each ranked on its own: row N of one has nothing to do with row N of the other.</summary>
    private protected override IReadOnlyList<ReportSection> BuildSections(ReportRequest request)
    {
        var (clients, entities) = Rankings(request, TopOf(request));

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

using System.Data.Common;
using System.Globalization;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Reports.Builtin;

/// <summary>Money a report's totals leave out because it has no amount in the base currency (no rate for its currency).</summary>
/// <param name="Currency">The documents' currency.</param>
/// <param name="Amount">Their amount, in that currency, in stored ten-thousandths.</param>
/// <param name="Documents">How many documents.</param>
public sealed record NotConvertedTotal(string? Currency, long Amount, long Documents);

/// <summary>A built-in report over the store; implements the same SDK interface plugin reports do.</summary>
public abstract class StoreReport : IRangeReport
{
    private protected StoreReport(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
    }

    private protected CrmStore Store { get; }

    /// <summary>Gets the clients the report covers, in its rows and its totals alike; null for every client.</summary>
    public ClientSet? Segment { get; init; }

    /// <summary>Gets whether the report covers only the clients of <see cref="Segment"/> when it is given; the campaign report measures
    /// its campaigns' own groups and is not narrowed.</summary>
    public virtual bool FiltersBySegment => true;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Title { get; }

    /// <summary>How many rows the report lists when the request does not say.</summary>
    public virtual int DefaultTop => 20;

    /// <inheritdoc />
    /// <remarks>A report of several tables gives its first here; <see cref="Sections"/> gives them all.</remarks>
    public Task<ReportTable> RunAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Sections(request)[0].Table);
    }

    /// <summary>Every table of the report, each under its caption (one, without a caption, for most reports).</summary>
    public IReadOnlyList<ReportSection> Sections(ReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BuildSections(request);
    }

    private protected virtual IReadOnlyList<ReportSection> BuildSections(ReportRequest request) => [new ReportSection(null, Build(request))];

    private protected abstract ReportTable Build(ReportRequest request);

    /// <summary>A statement of the report as it is sent: with <see cref="Segment"/>, every client-keyed table it reads narrowed
    /// to their rows (<see cref="ReportSql.Narrowed"/>), its parameters beside the report's own <paramref name="arguments"/>.</summary>
    private protected (string Sql, DynamicParameters Parameters) Statement(string sql, object arguments)
    {
        var parameters = new DynamicParameters(arguments);
        return (NarrowedTo is { } clients ? ReportSql.Narrowed(sql, clients.Members(parameters)) : sql, parameters);
    }

    /// <summary>The segment the report's statements are narrowed to; null when they read every client.</summary>
    private ClientSet? NarrowedTo => FiltersBySegment ? Segment : null;

    /// <summary>
    /// The transaction to read a statement in, when it groups a large part of a table in an index's order
    /// (<see cref="StoreDialect.InIndexOrder"/>): it carries the dialect's settings that keep the database to that order
    /// (<see cref="StoreDialect.InIndexOrderSettings"/>); null where the dialect needs none, or where the statement is
    /// narrowed to a segment and reads its clients' rows as the database chooses (<see cref="ReportSql.Narrowed"/>).
    /// </summary>
    private protected DbTransaction? InIndexOrder(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (Store.Dialect.InIndexOrderSettings is not { } settings || NarrowedTo is not null)
        {
            return null;
        }

        var transaction = connection.BeginTransaction();
        connection.Execute(settings, transaction: transaction);
        return transaction;
    }

    /// <summary>Per currency, the money of the report's range that its totals leave out: documents in a currency without a
    /// rate, never added to base amounts. Revenue issued in the range by default; the aging report's open amounts.</summary>
    public IReadOnlyList<NotConvertedTotal> NotConverted(ReportRequest request) => NotConverted(request, NotConvertedSql);

    private protected IReadOnlyList<NotConvertedTotal> NotConverted(ReportRequest request, string notConvertedSql)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var connection = Store.Open();
        var (sql, parameters) = Statement(notConvertedSql, new
        {
            from = ReportSql.Day(request.From),
            to = ReportSql.Day(request.To),
            asOf = ReportSql.Day(request.AsOf),
        });
        return connection.Query<(string? Currency, long Amount, long Documents)>(sql, parameters)
            .Select(r => new NotConvertedTotal(r.Currency, r.Amount, r.Documents)).ToList();
    }

    /// <summary>The statement <see cref="NotConverted(ReportRequest)"/> runs: <c>(Currency, Amount, Documents)</c> per currency.</summary>
    private protected virtual string NotConvertedSql => ClientMoneySql.RevenueNotConverted(Store.Dialect);

    /// <summary>Money left out of the totals, as notes under the table: one line per currency, or none.</summary>
    /// <param name="request">The report's request.</param>
    /// <param name="what">What the money is (<c>revenue</c>, <c>overdue debt</c>).</param>
    /// <param name="notConvertedSql">The statement; <see cref="NotConvertedSql"/> when null.</param>
    private protected IEnumerable<string> NotConvertedNotes(ReportRequest request, string what, string? notConvertedSql = null) =>
        NotConverted(request, notConvertedSql ?? NotConvertedSql).Select(n => string.Create(CultureInfo.InvariantCulture,
            $"{n.Currency} {MoneyCell(n.Amount)} not converted: no rate ({what} of {n.Documents:N0} {(n.Documents == 1 ? "invoice" : "invoices")} in {n.Currency}, " +
            $"in no total above; map the ledger's rates to convert them to {Store.BaseCurrency})."));

    private protected int TopOf(ReportRequest request) => Math.Clamp(request.Top ?? DefaultTop, 1, 100_000);

    /// <summary>Stored ten-thousandths as an invariant amount with two decimals.</summary>
    internal static string MoneyCell(long stored) => Money.FromStored(stored).ToString("0.00", CultureInfo.InvariantCulture);

    internal static string CountCell(long count) => count.ToString(CultureInfo.InvariantCulture);

    internal static string PercentCell(double percent) => percent.ToString("0.0", CultureInfo.InvariantCulture);

    internal static double Percent(long part, long whole) => whole == 0 ? 0 : 100.0 * part / whole;

    internal static string Range(ReportRequest request) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReportSql.Day(request.From)} to {ReportSql.Day(request.To)}");
}

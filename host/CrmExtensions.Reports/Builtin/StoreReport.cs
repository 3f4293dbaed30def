using System.Globalization;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Mirror;
using Dapper;

namespace CrmExtensions.Reports.Builtin;

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
        return (Segment is { } clients && FiltersBySegment ? ReportSql.Narrowed(sql, clients.Members(parameters)) : sql, parameters);
    }

    private protected int TopOf(ReportRequest request) => Math.Clamp(request.Top ?? DefaultTop, 1, 100_000);

    /// <summary>Stored ten-thousandths as an invariant amount with two decimals.</summary>
    internal static string MoneyCell(long stored) => Money.FromStored(stored).ToString("0.00", CultureInfo.InvariantCulture);

    internal static string CountCell(long count) => count.ToString(CultureInfo.InvariantCulture);

    internal static string PercentCell(double percent) => percent.ToString("0.0", CultureInfo.InvariantCulture);

    internal static double Percent(long part, long whole) => whole == 0 ? 0 : 100.0 * part / whole;

    internal static string Range(ReportRequest request) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReportSql.Day(request.From)} to {ReportSql.Day(request.To)}");
}

using System.Data.Common;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Mail.Segments;

/// <summary>
/// The cut-offs of the RFM scores on a day: four per measure, a score being 1 plus the number of cut-offs strictly
/// below the client's value (5 is best: most recent, most frequent, most money).
/// </summary>
/// <remarks>
/// The base is every current client with a live invoice issued by the day. Recency is the date of its last invoice,
/// frequency and monetary its invoices and revenue in the reporting window (<see cref="ReportingWindow"/>). With at
/// least <see cref="MinimumBase"/> clients the cut-offs are the base's own quintiles (the values at 20, 40, 60 and 80 %
/// of it, nearest rank), so equal values always get equal scores. A smaller base has no quintiles worth the name, and
/// the fixed cut-offs apply: recency 365, 180, 90, 30 days; frequency 0, 1, 3, 7 invoices; monetary 0, 50 000,
/// 250 000, 1 000 000 in the currency unit.
/// </remarks>
internal sealed record RfmScale(string[] RecencyDates, long[] Frequency, long[] Monetary, int Base, bool Quintiles)
{
    /// <summary>The smallest base whose quintiles are used: ten clients to a quintile.</summary>
    public const int MinimumBase = 50;

    private static readonly int[] FixedRecencyDays = [365, 180, 90, 30];
    private static readonly long[] FixedFrequency = [0, 1, 3, 7];
    private static readonly long[] FixedMonetary = [0, Money.ToStored(50_000), Money.ToStored(250_000), Money.ToStored(1_000_000)];

    /// <summary>The invoices (alias <c>i</c>) the scores read: live, issued by @asOf.</summary>
    internal const string Purchases = "i.vanished_at IS NULL AND i.issued_on <= @asOf";

    /// <summary>Recency's measure, an aggregate over a client's <see cref="Purchases"/>: the date of its last invoice.</summary>
    internal const string LastPurchase = "MAX(i.issued_on)";

    /// <summary>Frequency's measure: the client's invoices in the reporting window (from @from).</summary>
    internal const string WindowInvoices = "CAST(SUM(CASE WHEN i.issued_on >= @from THEN 1 ELSE 0 END) AS BIGINT)";

    /// <summary>Monetary's measure: the client's revenue in the reporting window.</summary>
    /// Only amounts in the base currency count (an invoice in a currency without a rate adds nothing).
    internal const string WindowRevenue = "CAST(SUM(CASE WHEN i.issued_on >= @from THEN COALESCE(i.base_amount, 0) ELSE 0 END) AS BIGINT)";

    /// <summary>Each current client's last invoice date, invoices and revenue in the window (clients with an invoice by @asOf).</summary>
    internal const string BaseSql =
        "SELECT " + LastPurchase + " AS LastOn, " + WindowInvoices + " AS Invoices, " + WindowRevenue + " AS Revenue " +
        "FROM mirror_invoices i JOIN clients c ON c.client_id = i.client_id " +
        "WHERE c.retired_at IS NULL AND " + Purchases + " GROUP BY i.client_id";

    /// <summary>Measures the base on <paramref name="today"/> and picks the cut-offs.</summary>
    public static RfmScale Measure(DbConnection connection, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var window = ReportingWindow.TwelveMonthsTo(today);
        var rows = connection.Query<(string LastOn, long Invoices, long Revenue)>(BaseSql,
            new { from = window.FromText, asOf = ReportingWindow.Text(today) }).ToList();
        if (rows.Count < MinimumBase)
        {
            return new RfmScale(FixedRecencyDays.Select(d => ReportingWindow.Text(today.AddDays(-d - 1))).ToArray(), FixedFrequency, FixedMonetary, rows.Count, false);
        }

        return new RfmScale(Cuts(rows.Select(r => r.LastOn).Order(StringComparer.Ordinal).ToList()),
            Cuts(rows.Select(r => r.Invoices).Order().ToList()), Cuts(rows.Select(r => r.Revenue).Order().ToList()), rows.Count, true);
    }

    /// <summary>The values at 20, 40, 60 and 80 % of a sorted list, nearest rank.</summary>
    private static T[] Cuts<T>(List<T> sorted) =>
        [.. Enumerable.Range(1, 4).Select(k => sorted[Math.Max(0, (int)Math.Ceiling(k * sorted.Count / 5.0) - 1)])];

    /// <summary>How the cut-offs were chosen, for <c>explain</c>.</summary>
    public string Describe() => Quintiles
        ? $"quintiles of {Base:N0} clients with purchases"
        : $"fixed cut-offs: {Base:N0} clients with purchases are fewer than {MinimumBase}";
}

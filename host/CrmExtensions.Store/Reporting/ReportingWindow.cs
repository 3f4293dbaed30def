using System.Globalization;
using CrmExtensions.Store.Migrations;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Reporting;

/// <summary>The days a report, a segment, the client directory or a plugin's facts count revenue over, both included.</summary>
/// <remarks>
/// One definition for every place that says "the last twelve months": the year that ends on (and includes) a day starts
/// the day after the same date a year earlier. The Pareto report, the <c>abc=</c> segment, the client directory's revenue
/// and classes and the facts' <c>RevenueLast12Months</c> all take their range from here, so they count the same invoices.
/// </remarks>
/// <param name="From">The first day.</param>
/// <param name="To">The last day.</param>
public readonly record struct ReportingWindow(DateOnly From, DateOnly To)
{
    /// <summary>The twelve months up to and including <paramref name="day"/>.</summary>
    public static ReportingWindow TwelveMonthsTo(DateOnly day) => new(day.AddYears(-1).AddDays(1), day);

    /// <summary>The first day as stored dates are written (<c>yyyy-MM-dd</c>).</summary>
    public string FromText => Text(From);

    /// <summary>The last day as stored dates are written.</summary>
    public string ToText => Text(To);

    /// <summary>A day as the store writes dates: <c>yyyy-MM-dd</c> text, compared as text in every database.</summary>
    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The SQL pieces that define revenue, ABC classes, overdue debt and a client's manager, shared by every reader.</summary>
/// <remarks>Money is keyed by client on the mirrored rows (migration 9), so each is a GROUP BY over an index, no join.</remarks>
public static class ClientMoneySql
{
    /// <summary>
    /// A, B, C by the share of revenue ranked before a row: A while it is under 80 %, B under 95 %, C after. The row that
    /// crosses 80 % is still A. Integer arithmetic (×5 &lt; ×4) keeps it exact and far from BIGINT overflow. Reads the
    /// columns <c>running</c>, <c>amount</c> and <c>total</c> of <see cref="Ranking"/>, prefixed with <paramref name="alias"/>.
    /// </summary>
    public static string ParetoClass(string alias = "")
    {
        var a = alias.Length == 0 ? "" : alias + ".";
        return $"CASE WHEN ({a}running - {a}amount) * 5 < {a}total * 4 THEN 'A' WHEN ({a}running - {a}amount) * 20 < {a}total * 19 THEN 'B' ELSE 'C' END";
    }

    /// <summary>Revenue (id, amount, invoices) per client of the live invoices issued in [@from, @to]; a NULL id gathers
    /// invoices of counterparties in no client and is ranked like any client.</summary>
    /// <param name="hint">What follows <c>FROM mirror_invoices i</c>: an index to read it through, or nothing.</param>
    internal static string RevenueByClient(string hint) =>
        "SELECT i.client_id AS id, CAST(SUM(i.base_amount) AS BIGINT) AS amount, CAST(COUNT(*) AS BIGINT) AS invoices FROM mirror_invoices i" + hint +
        " WHERE " + InvoicesInWindow + " AND " + Converted + " GROUP BY i.client_id";

    // Before the fields built from it: static fields are initialised in the order they are written.
    private static readonly string RevenueSelect = RevenueByClient("");

    /// <summary>Live invoices of alias <c>i</c> issued in [@from, @to].</summary>
    public const string InvoicesInWindow = "i.vanished_at IS NULL AND i.issued_on >= @from AND i.issued_on <= @to";

    /// <summary>
    /// A document of alias <c>i</c> has its amounts in the store's base currency (<c>base_amount</c>, migration 27): every
    /// total sums those. One in a currency without a rate has none and is never added to a base total; readers show it
    /// with <see cref="NotConverted"/> as its own currency's total instead.
    /// </summary>
    public const string Converted = "i.base_amount IS NOT NULL";

    /// <summary>
    /// Per currency, the documents of <paramref name="table"/> (aliased <c>i</c>) that <paramref name="condition"/> selects
    /// but that have no amount in the base currency: <c>(Currency, Amount, Documents)</c>, <paramref name="amount"/> summed
    /// in that currency. Read through the partial index of the rows not converted, so it costs what they are, not the mirror:
    /// named on SQLite, whose planner otherwise reads a range of dates through the date's index (a year of a million
    /// counterparties' invoices, 0.15 s, for none).
    /// </summary>
    public static string NotConverted(StoreDialect dialect, string table, string amount, string condition)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return $"SELECT i.currency AS Currency, CAST(SUM({amount}) AS BIGINT) AS Amount, CAST(COUNT(*) AS BIGINT) AS Documents FROM {table} i" +
            dialect.InIndexOrder(CurrencyMigration.UnconvertedIndex(table)) + $" WHERE i.base_amount IS NULL AND {condition} GROUP BY i.currency ORDER BY i.currency";
    }

    /// <summary>The invoices issued in [@from, @to] that are not in the base currency's totals, per currency.</summary>
    public static string RevenueNotConverted(StoreDialect dialect) => NotConverted(dialect, "mirror_invoices", "i.amount", InvoicesInWindow);

    /// <summary>Revenue rows with <c>running</c> (this row and every row ranked before it, by amount descending then id, a NULL
    /// id as 0 in every database) and <c>total</c>; <see cref="RevenueTally"/> ranks the same way in the host.</summary>
    private static string RankedSelect(string revenue) =>
        "SELECT id, amount, invoices, CAST(SUM(amount) OVER (ORDER BY amount DESC, COALESCE(id, 0) ROWS UNBOUNDED PRECEDING) AS BIGINT) AS running, " +
        "CAST(SUM(amount) OVER () AS BIGINT) AS total FROM " + revenue;

    /// <summary>
    /// Two CTEs, <c>revenue</c> and <c>ranked</c> (id, amount, invoices, running, total): the clients' revenue in the window,
    /// ranked. Followed by the caller's SELECT; <see cref="ParetoClass"/> gives each ranked row its class.
    /// </summary>
    public static readonly string Ranking = "WITH revenue AS (" + RevenueSelect + "), ranked AS (" + RankedSelect("revenue") + ") ";

    /// <summary>The rule of <see cref="ParetoClass"/> for a row whose ranked predecessors bring <paramref name="before"/> of <paramref name="total"/>.</summary>
    public static string ParetoClassOf(long before, long total) => before * 5 < total * 4 ? "A" : before * 20 < total * 19 ? "B" : "C";

    /// <summary>The same ranking as a derived table <c>(id, class)</c>, for a subquery (SQL Server takes no CTE there).</summary>
    public static readonly string Classes =
        "(SELECT id, " + ParetoClass() + " AS class FROM (" + RankedSelect("(" + RevenueSelect + ") revenue") + ") ranked)";

    /// <summary>An invoice of alias <c>i</c> is overdue on @asOf: open, issued by that day, its due date (its issue date without one) before it.</summary>
    public static readonly string Overdue =
        "i.vanished_at IS NULL AND " + MirrorSchema.OpenInvoice("i") + " AND COALESCE(i.due_on, i.issued_on) < @asOf AND i.issued_on <= @asOf";

    /// <summary>What is still owed on an open invoice of alias <c>i</c>, in the base currency (NULL when it is not converted).</summary>
    public const string OpenAmount = "i.base_amount - COALESCE(i.base_paid_amount, 0)";

    /// <summary>What is still owed on an open invoice of alias <c>i</c>, in its own currency.</summary>
    public const string OpenAmountAsIssued = "i.amount - COALESCE(i.paid_amount, 0)";

    /// <summary>Overdue debt as of @asOf that is not in the base currency's totals, per currency.</summary>
    public static string OverdueNotConverted(StoreDialect dialect) => NotConverted(dialect, "mirror_invoices", OpenAmountAsIssued, Overdue);

    /// <summary>A column of a client's counterparties the way its manager is named: its head members' value (the least
    /// when they differ), else any member's. Reads members as <c>m</c> joined to their counterparties as <c>c</c>
    /// (<see cref="MembersWithCounterparties"/>), grouped by client.</summary>
    internal static string HeadFirst(string column) => $"COALESCE(MIN(CASE WHEN m.role = 'head' THEN c.{column} END), MIN(c.{column}))";

    // Before the fields built from it: static fields are initialised in the order they are written.
    private static readonly string ManagerOfMembers = HeadFirst("manager");

    /// <summary>
    /// Each client's manager as <c>(id, manager)</c>: the <c>manager</c> column of its head members' counterparties (the
    /// least by name when they differ), else of any member — as the dossier and the managers report name it.
    /// </summary>
    public static readonly string Managers =
        "SELECT m.client_id AS id, " + ManagerOfMembers + " AS manager " + MembersWithCounterparties + " GROUP BY m.client_id";

    /// <summary>"A manager's client", for the row aliased <paramref name="client"/>: its manager (the rule of
    /// <see cref="Managers"/>, for that client alone) is <c>@manager</c>.</summary>
    public static string ManagedBy(string client) =>
        "(SELECT " + ManagerOfMembers + " " + MembersWithCounterparties + " WHERE m.client_id = " + client + ") = @manager";

    internal const string MembersWithCounterparties =
        "FROM client_members m JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id";
}

using System.Globalization;
using System.Text.RegularExpressions;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;
using CrmExtensions.Store.Reporting;

namespace CrmExtensions.Reports.Builtin;

/// <summary>The SQL of the built-in reports: aggregation happens in the store's database, only results come back.</summary>
/// <remarks>
/// Written once for SQLite, PostgreSQL and SQL Server: window functions, CTEs and <c>SUBSTRING</c> exist in all three,
/// dates are <c>yyyy-MM-dd</c> text compared as text, money is summed as exact BIGINT ten-thousandths. Day arithmetic
/// (aging buckets) is done on the boundaries in C#, so no dialect's date functions are needed.
/// </remarks>
internal static class ReportSql
{
    /// <summary>Live invoices issued in [@from, @to].</summary>
    private const string InvoicesInRange = ClientMoneySql.InvoicesInWindow;

    /// <summary>Live invoices issued in [@from, @to] whose amounts are in the base currency: what revenue sums.</summary>
    private const string RevenueInRange = InvoicesInRange + " AND " + ClientMoneySql.Converted;

    /// <summary>Revenue per client in the range, in the ranking's order (a NULL id gathers invoices of counterparties in no
    /// client): the one ranking the <c>abc=</c> segment and the client directory use too.</summary>
    internal static readonly string ClientRevenueRanked = ClientMoneySql.RevenueRanked;

    /// <summary>Revenue per ledger counterparty, as the ledger sees it before unification, ranked the same way.</summary>
    internal static readonly string EntityRevenueRanked =
        "SELECT i.ledger AS ledger, i.counterparty_id AS id, CAST(SUM(i.base_amount) AS BIGINT) AS amount, CAST(COUNT(*) AS BIGINT) AS invoices FROM mirror_invoices i" +
        " WHERE " + RevenueInRange + " GROUP BY i.ledger, i.counterparty_id ORDER BY CAST(SUM(i.base_amount) AS BIGINT) DESC, i.ledger, i.counterparty_id";

    internal const string ClientNameSql = "SELECT display_name FROM clients WHERE client_id = @id";

    internal static readonly string CounterpartyNameSql = "SELECT name FROM mirror_counterparties WHERE ledger = @ledger AND ledger_id = @id";

    /// <summary>Live invoices of alias <c>i</c> issued by @asOf and open: what the aging report ages.</summary>
    private static readonly string OpenByAsOf = "i.vanished_at IS NULL AND " + MirrorSchema.OpenInvoice("i") + " AND i.issued_on <= @asOf";

    /// <summary>Open amounts of unsettled invoices issued by @asOf, per client, in buckets of days past due.</summary>
    internal static readonly string AgingBuckets =
        "WITH open_items AS (SELECT i.client_id AS id, COALESCE(i.due_on, i.issued_on) AS due, " + ClientMoneySql.OpenAmount + " AS amount " +
        "FROM mirror_invoices i" +
        " WHERE " + OpenByAsOf + " AND " + ClientMoneySql.Converted + "), " +
        "buckets AS (SELECT id, CAST(SUM(CASE WHEN due >= @asOf THEN amount ELSE 0 END) AS BIGINT) AS b0, " +
        "CAST(SUM(CASE WHEN due < @asOf AND due >= @d30 THEN amount ELSE 0 END) AS BIGINT) AS b1, " +
        "CAST(SUM(CASE WHEN due < @d30 AND due >= @d60 THEN amount ELSE 0 END) AS BIGINT) AS b2, " +
        "CAST(SUM(CASE WHEN due < @d60 AND due >= @d90 THEN amount ELSE 0 END) AS BIGINT) AS b3, " +
        "CAST(SUM(CASE WHEN due < @d90 THEN amount ELSE 0 END) AS BIGINT) AS b4, CAST(SUM(amount) AS BIGINT) AS total, CAST(COUNT(*) AS BIGINT) AS invoices FROM open_items GROUP BY id) ";

    /// <summary>Open amounts as of @asOf of invoices not in the base currency's totals, per currency.</summary>
    internal static readonly string AgingNotConverted = ClientMoneySql.NotConverted("mirror_invoices", ClientMoneySql.OpenAmountAsIssued, OpenByAsOf);

    internal static readonly string AgingTopSelect =
        "SELECT b.id AS Id, c.display_name AS Name, b.b0 AS NotDue, b.b1 AS Days30, b.b2 AS Days60, b.b3 AS Days90, b.b4 AS Over90, b.total AS Total, b.invoices AS Invoices " +
        "FROM buckets b LEFT JOIN clients c ON c.client_id = b.id ORDER BY b.total - b.b0 DESC, b.total DESC, b.id";

    internal static readonly string AgingTotalsSelect =
        "SELECT CAST(COUNT(*) AS BIGINT) AS Clients, COALESCE(CAST(SUM(b0) AS BIGINT), 0) AS NotDue, COALESCE(CAST(SUM(b1) AS BIGINT), 0) AS Days30, COALESCE(CAST(SUM(b2) AS BIGINT), 0) AS Days60, " +
        "COALESCE(CAST(SUM(b3) AS BIGINT), 0) AS Days90, COALESCE(CAST(SUM(b4) AS BIGINT), 0) AS Over90, COALESCE(CAST(SUM(total) AS BIGINT), 0) AS Total, COALESCE(CAST(SUM(invoices) AS BIGINT), 0) AS Invoices FROM buckets";

    /// <summary>
    /// Each client's manager: the <c>manager</c> column of its head members' counterparties (the least by name when
    /// they differ), else of any member. Then one row per (manager, measure) for every measure of the managers report;
    /// a contact counts for the manager who logged it, a deal for its owner, each falling back to the client's manager.
    /// </summary>
    internal static readonly string ManagerMeasures =
        "WITH cm AS (" + ClientMoneySql.Managers + ") " +
        "SELECT cm.manager AS Manager, 'revenue' AS Measure, CAST(SUM(i.base_amount) AS BIGINT) AS Amount, CAST(COUNT(DISTINCT i.client_id) AS BIGINT) AS Clients FROM mirror_invoices i " +
        "LEFT JOIN cm ON cm.id = i.client_id WHERE " + RevenueInRange + " GROUP BY cm.manager " +
        "UNION ALL SELECT cm.manager, 'overdue', CAST(SUM(" + ClientMoneySql.OpenAmount + ") AS BIGINT), CAST(COUNT(DISTINCT i.client_id) AS BIGINT) FROM mirror_invoices i " +
        "LEFT JOIN cm ON cm.id = i.client_id WHERE " + ClientMoneySql.Overdue + " AND " + ClientMoneySql.Converted + " GROUP BY cm.manager " +
        "UNION ALL SELECT COALESCE(a.manager, cm.manager), 'contacts', CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT a.client_id) AS BIGINT) FROM activities a " +
        "LEFT JOIN cm ON cm.id = a.client_id WHERE a.occurred_at >= @from AND a.occurred_at < @toNext GROUP BY COALESCE(a.manager, cm.manager) " +
        "UNION ALL SELECT COALESCE(d.owner, cm.manager), 'opened', CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT d.client_id) AS BIGINT) FROM deals d " +
        "LEFT JOIN cm ON cm.id = d.client_id WHERE d.created_at >= @from AND d.created_at < @toNext GROUP BY COALESCE(d.owner, cm.manager) " +
        "UNION ALL SELECT COALESCE(d.owner, cm.manager), 'won', CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT d.client_id) AS BIGINT) FROM deals d " +
        "LEFT JOIN cm ON cm.id = d.client_id WHERE (d.outcome = 'won' OR LOWER(d.stage) IN ('won', 'closed-won', 'closed won', 'выиграна', 'успешно')) " +
        "AND COALESCE(d.closed_at, d.updated_at) >= @from AND COALESCE(d.closed_at, d.updated_at) < @toNext GROUP BY COALESCE(d.owner, cm.manager)";

    /// <summary>Revenue and invoices per month of issue.</summary>
    internal static readonly string MonthlyRevenue =
        "SELECT SUBSTRING(i.issued_on, 1, 7) AS Month, CAST(SUM(i.base_amount) AS BIGINT) AS Amount, CAST(COUNT(*) AS BIGINT) AS Invoices FROM mirror_invoices i WHERE " + RevenueInRange +
        " GROUP BY SUBSTRING(i.issued_on, 1, 7)";

    /// <summary>
    /// New clients per month (their first invoice ever falls in it) and lost clients per month (their last invoice up to
    /// @to falls in it and no invoice followed within six months: last invoice on or before @lostBy).
    /// </summary>
    internal static readonly string MonthlyClients =
        "WITH f AS (SELECT i.client_id AS id, MIN(i.issued_on) AS first_on, MAX(i.issued_on) AS last_on FROM mirror_invoices i" +
        " WHERE i.client_id IS NOT NULL AND i.vanished_at IS NULL AND i.issued_on <= @to GROUP BY i.client_id) " +
        "SELECT 'new' AS Kind, SUBSTRING(first_on, 1, 7) AS Month, CAST(COUNT(*) AS BIGINT) AS Clients FROM f WHERE first_on >= @from GROUP BY SUBSTRING(first_on, 1, 7) " +
        "UNION ALL SELECT 'lost', SUBSTRING(last_on, 1, 7), CAST(COUNT(*) AS BIGINT) FROM f WHERE last_on >= @from AND last_on <= @lostBy GROUP BY SUBSTRING(last_on, 1, 7)";

    /// <summary>The client-keyed tables as the built-in statements read them, each under its one alias.</summary>
    private static readonly Regex ClientTables = new(@"\bFROM (mirror_invoices|activities|deals) (i|a|d)\b", RegexOptions.CultureInvariant);

    /// <summary>Every mention of a client-keyed table.</summary>
    private static readonly Regex AnyClientTable = new(@"\b(mirror_invoices|mirror_payments|activities|deals)\b", RegexOptions.CultureInvariant);

    /// <summary>
    /// A report statement over the rows of some clients only: each client-keyed table it reads (<c>FROM mirror_invoices i</c>,
    /// <c>FROM activities a</c>, <c>FROM deals d</c>) becomes the rows whose client is one of <paramref name="members"/> (a
    /// statement of client ids), under the same alias. Rows and totals then cover those clients alike; rows of
    /// counterparties in no client drop out.
    /// </summary>
    /// <exception cref="InvalidOperationException">The statement reads a client-keyed table some other way (a JOIN, another
    /// alias), which would escape the restriction: the statement is to be written in the form above.</exception>
    internal static string Narrowed(string sql, string members)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentException.ThrowIfNullOrEmpty(members);
        if (AnyClientTable.Count(sql) != ClientTables.Count(sql))
        {
            throw new InvalidOperationException("A report statement reads a client-keyed table other than as 'FROM table alias', so it cannot be narrowed to a segment: " + sql);
        }

        return ClientTables.Replace(sql, m => $"FROM (SELECT * FROM {m.Groups[1].Value} WHERE client_id IN ({members})) {m.Groups[2].Value}");
    }

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Every statement the built-in reports send, for a dialect, each also as narrowed to a segment's clients; tests
    /// parse the T-SQL ones.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        string[] statements =
        [
            ClientRevenueRanked, EntityRevenueRanked, ClientMoneySql.RevenueTotal, ClientNameSql, CounterpartyNameSql,
            AgingBuckets + dialect.Top(AgingTopSelect, 20), AgingBuckets + AgingTotalsSelect, ManagerMeasures, MonthlyRevenue, MonthlyClients,
            ClientMoneySql.RevenueNotConverted, ClientMoneySql.OverdueNotConverted, AgingNotConverted,
        ];

        // Narrowed as StoreReport.Statement narrows them (the behaviour segments' statements check the compiled conditions themselves).
        var members = ClientSet.Sample.Members(new Dapper.DynamicParameters());
        return statements.Concat(statements.Select(s => Narrowed(s, members)).Where(n => !statements.Contains(n)));
    }
}

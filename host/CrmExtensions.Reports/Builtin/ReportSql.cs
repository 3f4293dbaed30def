using System.Globalization;
using System.Text.RegularExpressions;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Migrations;
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

    internal const string ClientNameSql = "SELECT display_name FROM clients WHERE client_id = @id";

    internal static readonly string CounterpartyNameSql = "SELECT name FROM mirror_counterparties WHERE ledger = @ledger AND ledger_id = @id";

    /// <summary>Live invoices of alias <c>i</c> issued by @asOf and open: what the aging report ages.</summary>
    private static readonly string OpenByAsOf = "i.vanished_at IS NULL AND " + MirrorSchema.OpenInvoice("i") + " AND i.issued_on <= @asOf";

    /// <summary>Each open invoice issued by @asOf with an amount in the base currency, as <c>(client_id, due, open amount)</c>:
    /// what the aging report adds up per client in buckets of days past due.</summary>
    internal static readonly string AgingRows =
        "SELECT i.client_id, COALESCE(i.due_on, i.issued_on), " + ClientMoneySql.OpenAmount + " FROM mirror_invoices i WHERE " + OpenByAsOf + " AND " + ClientMoneySql.Converted;

    /// <summary>Open amounts as of @asOf of invoices not in the base currency's totals, per currency.</summary>
    internal static string AgingNotConverted(StoreDialect dialect) => ClientMoneySql.NotConverted(dialect, "mirror_invoices", ClientMoneySql.OpenAmountAsIssued, OpenByAsOf);

    /// <summary>Overdue debt <c>(client_id, amount, invoices)</c> per client as of @asOf, in the base currency; the open
    /// invoices' index holds them in client order, so the database groups them without sorting.</summary>
    internal static readonly string OverdueByClient =
        "SELECT i.client_id, CAST(SUM(" + ClientMoneySql.OpenAmount + ") AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM mirror_invoices i WHERE " +
        ClientMoneySql.Overdue + " AND " + ClientMoneySql.Converted + " GROUP BY i.client_id";

    /// <summary>
    /// The managers report's counts, one row per (measure, named manager, client): contacts that happened in the range
    /// (named for the manager who logged them), deals opened in it and deals won in it (for their owner). A row whose
    /// manager is NULL counts for the client's manager.
    /// </summary>
    internal static readonly string ManagerCounts =
        "SELECT 'contacts' AS Measure, a.manager AS Manager, a.client_id AS Client, CAST(COUNT(*) AS BIGINT) AS Count FROM activities a " +
        "WHERE a.occurred_at >= @from AND a.occurred_at < @toNext GROUP BY a.manager, a.client_id " +
        "UNION ALL SELECT 'opened', d.owner, d.client_id, CAST(COUNT(*) AS BIGINT) FROM deals d " +
        "WHERE d.created_at >= @from AND d.created_at < @toNext GROUP BY d.owner, d.client_id " +
        "UNION ALL SELECT 'won', d.owner, d.client_id, CAST(COUNT(*) AS BIGINT) FROM deals d " +
        "WHERE (d.outcome = 'won' OR LOWER(d.stage) IN ('won', 'closed-won', 'closed won', 'выиграна', 'успешно')) " +
        "AND COALESCE(d.closed_at, d.updated_at) >= @from AND COALESCE(d.closed_at, d.updated_at) < @toNext GROUP BY d.owner, d.client_id";

    /// <summary>Revenue and invoices of the live invoices issued in [@from, @to]: asked once per month of a range, each a read
    /// of the date's index over that month, where grouping the range by month sorted every invoice in it.</summary>
    internal static readonly string RangeRevenue =
        "SELECT CAST(COALESCE(SUM(i.base_amount), 0) AS BIGINT) AS Amount, CAST(COUNT(*) AS BIGINT) AS Invoices FROM mirror_invoices i WHERE " + RevenueInRange;

    /// <summary>
    /// New clients per month (their first invoice ever falls in it) and lost clients per month (their last invoice up to
    /// @to falls in it and no invoice followed within six months: last invoice on or before @lostBy), for a range [@from, @to].
    /// </summary>
    /// <remarks>Only a client with an invoice in the range can be new or lost in it, so the invoices of the range are grouped
    /// per client, in the order of the client's index: the last one up to @to is the last of the range, and the first one
    /// ever is the first of the range when the client has none before it (one seek of that index each). Grouping every
    /// invoice up to @to instead cost a fifth more on SQLite, its first and last dates compared row by row.</remarks>
    internal static string MonthlyClients(StoreDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return "WITH f AS (SELECT i.client_id AS id, MIN(i.issued_on) AS first_on, MAX(i.issued_on) AS last_on FROM mirror_invoices i" +
            dialect.InIndexOrder(CurrencyMigration.ClientIndex) + " WHERE i.client_id IS NOT NULL AND " + InvoicesInRange + " GROUP BY i.client_id) " +
            "SELECT 'new' AS Kind, SUBSTRING(first_on, 1, 7) AS Month, CAST(COUNT(*) AS BIGINT) AS Clients FROM f WHERE NOT EXISTS " +
            "(SELECT 1 FROM mirror_invoices i WHERE i.client_id = f.id AND i.vanished_at IS NULL AND i.issued_on < @from) GROUP BY SUBSTRING(first_on, 1, 7) " +
            "UNION ALL SELECT 'lost', SUBSTRING(last_on, 1, 7), CAST(COUNT(*) AS BIGINT) FROM f WHERE last_on <= @lostBy GROUP BY SUBSTRING(last_on, 1, 7)";
    }

    /// <summary>The client-keyed tables as the built-in statements read them, each under its one alias.</summary>
    /// <remarks>A table read in an index's order (<see cref="StoreDialect.InIndexOrder"/>) is read as the database chooses once
    /// narrowed: the hint names the table, not the narrowed rows.</remarks>
    private static readonly Regex ClientTables = new(@"\bFROM (mirror_invoices|activities|deals) (i|a|d)\b( INDEXED BY \w+)?", RegexOptions.CultureInvariant);

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
            RevenueTally.CounterpartyRows(dialect), ClientNameSql, CounterpartyNameSql,
            AgingRows, OverdueByClient, ManagerCounts, ClientMoneySql.Managers, RangeRevenue, MonthlyClients(dialect),
            ClientMoneySql.RevenueNotConverted(dialect), ClientMoneySql.OverdueNotConverted(dialect), AgingNotConverted(dialect),
        ];

        // Narrowed as StoreReport.Statement narrows them (the behaviour segments' statements check the compiled conditions themselves).
        var members = ClientSet.Sample.Members(new Dapper.DynamicParameters());
        return statements.Concat(statements.Select(s => Narrowed(s, members)).Where(n => !statements.Contains(n)));
    }
}

using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store.Activities;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Store.Campaigns;

/// <summary>The rule that holds marketing mail back from a client with unresolved problems: the <c>marketing</c> section of <c>crmx.json</c>.</summary>
/// <remarks>
/// A client has unresolved problems on a day when its overdue debt (the reports' definition, <see cref="ClientMoneySql.Overdue"/>)
/// is over <see cref="OverdueThreshold"/>, or when it has an open complaint (an activity of kind <c>complaint</c> without an
/// outcome). Only marketing mail is held back; transactional mail (dunning letters, statements marked transactional) is not.
/// </remarks>
public sealed class HoldBackOptions
{
    /// <summary>Whether marketing mail is held back from clients with unresolved problems.</summary>
    /// <value>On by default.</value>
    public bool HoldBackProblems { get; set; } = true;

    /// <summary>Overdue debt above this amount (in the store's base currency; invoices in a currency without a rate are not counted) is an unresolved problem.</summary>
    /// <value>0: any overdue debt at all. The host knows neither the ledger's currency nor what a small arrear is to the
    /// company, and an invoice past its due date is exactly the problem an offer should not ignore; a company that tolerates
    /// small arrears sets its own amount.</value>
    public decimal OverdueThreshold { get; set; }
}

/// <summary>Why a client is held back: its overdue debt (stored ten-thousandths) and its open complaints.</summary>
public sealed record ClientProblem(long ClientId, long Overdue, long OpenComplaints)
{
    /// <summary>The reason in words, money as ru-RU writes it: <c>overdue 12 345,00; 1 open complaint(s)</c>.</summary>
    public string Reason
    {
        get
        {
            var parts = new List<string>();
            if (Overdue > 0)
            {
                parts.Add("overdue " + Money.FromStored(Overdue).ToString("N2", CultureInfo.GetCultureInfo("ru-RU")));
            }

            if (OpenComplaints > 0)
            {
                parts.Add(OpenComplaints.ToString(CultureInfo.InvariantCulture) + " open complaint(s)");
            }

            return string.Join("; ", parts);
        }
    }
}

/// <summary>Finds the clients with unresolved problems on a day: the one definition campaigns and plugin marketing mail share.</summary>
public static class UnresolvedProblems
{
    private static string Sql(bool oneClient)
    {
        var invoiceFilter = oneClient ? " AND i.client_id = @client" : "";
        var activityFilter = oneClient ? " WHERE p.id = @client" : "";
        return "SELECT p.id AS ClientId, CAST(SUM(p.overdue) AS BIGINT) AS Overdue, CAST(SUM(p.complaints) AS BIGINT) AS OpenComplaints FROM (" +
            "SELECT i.client_id AS id, CAST(SUM(" + ClientMoneySql.OpenAmount + ") AS BIGINT) AS overdue, CAST(0 AS BIGINT) AS complaints FROM mirror_invoices i " +
            "WHERE i.client_id IS NOT NULL AND " + ClientMoneySql.Overdue + invoiceFilter + " GROUP BY i.client_id HAVING SUM(" + ClientMoneySql.OpenAmount + ") > @threshold " +
            // A complaint counts for the client its counterparty belongs to now (clients merged since included), else the client it was logged on.
            "UNION ALL SELECT COALESCE(m.client_id, a.client_id), CAST(0 AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM activities a " +
            "LEFT JOIN client_members m ON m.ledger = a.ledger AND m.ledger_id = a.counterparty_id " +
            "WHERE a.kind = '" + ActivityKinds.Complaint + "' AND (a.outcome IS NULL OR a.outcome = '') GROUP BY COALESCE(m.client_id, a.client_id)" +
            ") p" + activityFilter + (oneClient ? " AND" : " WHERE") + " p.id IS NOT NULL GROUP BY p.id ORDER BY p.id";
    }

    /// <summary>Every client with unresolved problems on <paramref name="today"/>, by id; none when the rule is off.</summary>
    public static IReadOnlyDictionary<long, ClientProblem> All(DbConnection connection, HoldBackOptions options, DateOnly today, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        return !options.HoldBackProblems
            ? new Dictionary<long, ClientProblem>()
            : Read(connection, Sql(oneClient: false), Parameters(options, today, null), transaction).ToDictionary(p => p.ClientId);
    }

    /// <summary>The problems of one client on <paramref name="today"/>, or null when it has none (or the rule is off).</summary>
    public static ClientProblem? Of(DbConnection connection, HoldBackOptions options, long clientId, DateOnly today, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        return !options.HoldBackProblems
            ? null
            : Read(connection, Sql(oneClient: true), Parameters(options, today, clientId), transaction).FirstOrDefault();
    }

    /// <summary>Which of <paramref name="clients"/> have unresolved problems on <paramref name="today"/>, in one query whatever
    /// their number: the one client's when there is one, else every client's (a per-client query per mail would be one per mail).</summary>
    public static IReadOnlySet<long> Among(DbConnection connection, HoldBackOptions options, IReadOnlyCollection<long> clients, DateOnly today, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        return clients.Count switch
        {
            0 => new HashSet<long>(),
            1 => Of(connection, options, clients.First(), today, transaction) is { } one ? new HashSet<long> { one.ClientId } : new HashSet<long>(),
            _ => All(connection, options, today, transaction).Keys.Where(clients.Contains).ToHashSet(),
        };
    }

    // Tuples, not the record: Dapper matches a constructor by column types before the first row is read, and SQLite types
    // computed columns only from a row.
    private static IEnumerable<ClientProblem> Read(DbConnection connection, string sql, DynamicParameters parameters, DbTransaction? transaction) =>
        connection.Query<(long ClientId, long Overdue, long OpenComplaints)>(sql, parameters, transaction).Select(r => new ClientProblem(r.ClientId, r.Overdue, r.OpenComplaints));

    private static DynamicParameters Parameters(HoldBackOptions options, DateOnly today, long? clientId)
    {
        var parameters = new DynamicParameters();
        parameters.Add("asOf", ReportingWindow.Text(today));
        parameters.Add("threshold", Money.ToStored(Math.Max(0, options.OverdueThreshold)));
        if (clientId is { } id)
        {
            parameters.Add("client", id);
        }

        return parameters;
    }

    /// <summary>Every statement, for the T-SQL parse test.</summary>
    public static IEnumerable<string> Statements() => [Sql(false), Sql(true)];
}

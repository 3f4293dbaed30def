using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Store.Clients;

/// <summary>The one writer of <c>client_directory</c> and <c>client_directory_state</c>: computes the directory's rows again
/// when what they were computed from has changed.</summary>
/// <remarks>
/// A row's revenue and class depend on the reporting window (so on the day), on the mirrored money (sync) and on who is
/// whose client (unification); its overdue debt on the day and on sync. The state's stamp names the day, the last sync
/// run that changed the mirror and the last unification run; a reader whose stamp differs computes every row again in one
/// transaction — set-based, from the client-keyed money — and every other reader goes straight to the rows. Stages and
/// tags are not copied: readers join <c>client_tags</c>, which plugins change between syncs.
/// </remarks>
internal static class ClientDirectoryWriter
{
    /// <summary>Makes the directory current for <paramref name="today"/>; cheap (one statement: two MAX lookups and the state's row) when it already is.</summary>
    /// <returns>Whether this call computed the rows (false: they were current, or another reader computed them meanwhile).</returns>
    public static bool EnsureCurrent(CrmStore store, DbConnection connection, DateOnly today)
    {
        // Every page view of the list asks this: one statement reads the state's stamp beside what it is now.
        var (state, sync, unification) = connection.QuerySingle<(string?, long?, long?)>(CheckSql);
        var stamp = Stamp(today, sync, unification);
        if (string.Equals(state, stamp, StringComparison.Ordinal))
        {
            return false;
        }

        using var tx = connection.BeginTransaction();
        if (LockSql(store.Dialect) is { } lockSql)
        {
            connection.Execute(lockSql, transaction: tx);
        }

        // Another reader may have computed it while this one waited for the lock.
        if (string.Equals(connection.ExecuteScalar<string?>(StateSql, transaction: tx), stamp, StringComparison.Ordinal))
        {
            tx.Commit();
            return false;
        }

        if (connection.ExecuteScalar<long>(SearchMissingSql, transaction: tx) == 1)
        {
            // A store unified before the search index existed: index every member once.
            ClientSearchWriter.Rebuild(connection, tx, store.Dialect);
        }

        var window = ReportingWindow.TwelveMonthsTo(today);
        // Every row is written again: the indexes are made after the rows, each one sort, rather than kept row by row.
        var suspended = BulkWrite.Suspend(connection, tx, store.Dialect, "client_directory", triggers: false);
        connection.Execute(ClearSql, transaction: tx);
        connection.Execute(FillSql, new { from = window.FromText, to = window.ToText, asOf = ReportingWindow.Text(today) }, tx, commandTimeout: 0);
        suspended.Restore();
        connection.Execute(StateUpsertSql(store.Dialect), new { id = 1, stamp, computed_at = StoreTime.Now(store.Time) }, tx);
        tx.Commit();
        return true;
    }

    private static string Stamp(DateOnly today, long? sync, long? unification) => ReportingWindow.Text(today) + SourcesStamp(sync, unification);

    /// <summary>The stamp's part after the day: what the managers and regions were computed from.</summary>
    private static string SourcesStamp(long? sync, long? unification) => string.Create(CultureInfo.InvariantCulture, $"/{sync ?? 0}/{unification ?? 0}");

    /// <summary>
    /// The statement reading each live client's manager <c>(id, manager)</c> from the directory, when its rows were computed
    /// from the mirror and the clients as they are now; null when a sync or a unification changed them since (or it was never
    /// computed), and the caller computes them with <see cref="ClientMoneySql.Managers"/> instead.
    /// </summary>
    /// <remarks>The rows are that statement's result (<see cref="FillSql"/>), so this is the same definition read where it is
    /// already computed, never an older answer: a manager depends on the members and their counterparties, which only a sync
    /// or a unification changes, and not on the day, so rows computed on an earlier day still hold. Clients without one have no
    /// row here, as there.</remarks>
    public static string? CurrentManagersSql(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var (state, sync, unification) = connection.QuerySingle<(string?, long?, long?)>(CheckSql);
        return state is not null && state.EndsWith(SourcesStamp(sync, unification), StringComparison.Ordinal) ? DirectoryManagersSql : null;
    }

    /// <summary>Each client's manager as the directory holds it, for <see cref="CurrentManagersSql"/>; read through the index
    /// on the manager (which holds the client id) on SQLite.</summary>
    internal const string DirectoryManagersSql = "SELECT d.client_id AS id, d.manager AS manager FROM client_directory d WHERE d.manager IS NOT NULL";

    private const string Sources = "(SELECT MAX(id) FROM sync_runs WHERE inserted + changed + vanished > 0), (SELECT MAX(id) FROM unification_runs)";

    /// <summary>The last sync run that changed the mirror and the last unification run (the recommendations' stamp reads them too).</summary>
    internal const string SourcesSql = "SELECT " + Sources;

    internal const string StateSql = "SELECT stamp FROM client_directory_state WHERE id = 1";

    /// <summary>The state's stamp, then <see cref="SourcesSql"/>'s two ids.</summary>
    internal const string CheckSql = "SELECT (" + StateSql + "), " + Sources;

    internal const string SearchMissingSql =
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM client_members) AND NOT EXISTS (SELECT 1 FROM client_search) THEN 1 ELSE 0 END";

    internal const string ClearSql = "DELETE FROM client_directory";

    /// <summary>Every live client with the window's revenue and class (the Pareto report's own ranking), overdue debt, manager
    /// and region; ranked clients first in the report's order, then the others by id.</summary>
    internal static readonly string FillSql =
        ClientMoneySql.Ranking +
        ", overdue_by AS (SELECT i.client_id AS id, CAST(SUM(" + ClientMoneySql.OpenAmount + ") AS BIGINT) AS amount FROM mirror_invoices i " +
        "WHERE i.client_id IS NOT NULL AND " + ClientMoneySql.Overdue + " GROUP BY i.client_id), " +
        "managers AS (" + ClientMoneySql.Managers + "), " +
        "regions AS (SELECT client_id AS id, COALESCE(MIN(CASE WHEN role = 'head' THEN region END), MIN(region)) AS region FROM client_members GROUP BY client_id) " +
        "INSERT INTO client_directory (client_id, display_name, sort_name, manager, region, abc_class, list_order, revenue, overdue, legal_entities, branches) " +
        "SELECT c.client_id, c.display_name, SUBSTRING(REPLACE(LOWER(c.display_name), 'ё', 'е'), 1, 200), mg.manager, rg.region, " +
        "CASE WHEN r.id IS NULL THEN NULL ELSE " + ClientMoneySql.ParetoClass("r") + " END, " +
        "ROW_NUMBER() OVER (ORDER BY CASE WHEN r.id IS NULL THEN 1 ELSE 0 END, r.amount DESC, c.client_id), " +
        "COALESCE(r.amount, 0), COALESCE(o.amount, 0), c.legal_entities, c.branches " +
        "FROM clients c LEFT JOIN ranked r ON r.id = c.client_id LEFT JOIN overdue_by o ON o.id = c.client_id " +
        "LEFT JOIN managers mg ON mg.id = c.client_id LEFT JOIN regions rg ON rg.id = c.client_id WHERE c.retired_at IS NULL";

    internal static string StateUpsertSql(StoreDialect dialect) => dialect.Upsert("client_directory_state", ["id"], ["id", "stamp", "computed_at"]);

    /// <summary>A lock only directory computation takes, so two readers do not compute it at once; SQLite's write lock does it there.</summary>
    internal static string? LockSql(StoreDialect dialect) => dialect.Provider switch
    {
        DatabaseProvider.PostgreSql => "SELECT pg_advisory_xact_lock(7280295)",
        DatabaseProvider.SqlServer => "EXEC sp_getapplock @Resource = N'crmx_client_directory', @LockMode = N'Exclusive', @LockOwner = N'Transaction'",
        _ => null,
    };

    /// <summary>Every statement this class sends, for a dialect; tests parse the T-SQL ones.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect)
    {
        yield return CheckSql;
        yield return SourcesSql;
        yield return StateSql;
        yield return SearchMissingSql;
        yield return ClearSql;
        yield return FillSql;
        yield return DirectoryManagersSql;
        yield return StateUpsertSql(dialect);
        if (LockSql(dialect) is { } lockSql)
        {
            yield return lockSql;
        }
    }
}

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
/// transaction, from the client-keyed money, and writes the rows that differ from the stored ones (every row, the indexes
/// set aside, the first time and when most differ); every other reader goes straight to the rows. A row's place in the
/// revenue order is a key of its own (<see cref="ListRank"/>), so a client moving in the ranking rewrites no other row.
/// Stages and tags are not copied: readers join <c>client_tags</c>, which plugins change between syncs.
/// </remarks>
internal static class ClientDirectoryWriter
{
    /// <summary>Makes the directory current for <paramref name="today"/>; cheap (one statement: two MAX lookups and the state's row) when it already is.</summary>
    /// <param name="store">The store.</param>
    /// <param name="connection">An open connection to it, in no transaction.</param>
    /// <param name="today">The reporting window's last day and the day debts are overdue on.</param>
    /// <param name="mostDifferences">The most rows written one by one, where the directory already has rows; past it every row
    /// is written again (null: an eighth of the rows, and at least <see cref="MinDifferences"/>).</param>
    /// <param name="computed">Called when the rows that differ were computed, before the write starts (tests change the store there).</param>
    /// <returns>Whether this call computed the rows (false: they were current, or another reader computed them meanwhile).</returns>
    /// <remarks>
    /// Where the directory has rows, the rows that differ are computed before the write lock is taken (SQLite's, or the
    /// directory's own lock elsewhere), and written under it only if neither the sources nor the directory's state changed
    /// meanwhile; every other writer of the store carries on while the rows are computed (7 to 9 s at a million
    /// counterparties), where it used to wait for them. A sync or unification that lands meanwhile has the rows computed
    /// again; after <see cref="UnlockedAttempts"/> such attempts they are computed under the lock, as a first computation is.
    /// </remarks>
    public static bool EnsureCurrent(CrmStore store, DbConnection connection, DateOnly today, long? mostDifferences = null, Action? computed = null)
    {
        long Most(long rows) => mostDifferences ?? Math.Max(MinDifferences, rows / 8);
        object? parameters = null;
        for (var attempt = 1; ; attempt++)
        {
            // Every page view of the list asks this: one statement reads the state beside what it is computed from now.
            var seen = DirectoryState.Read(connection, null);
            if (seen.IsCurrent(today))
            {
                return false;
            }

            if (parameters is null)
            {
                var window = ReportingWindow.TwelveMonthsTo(today);
                parameters = new { from = window.FromText, to = window.ToText, asOf = ReportingWindow.Text(today) };
            }

            var unlocked = attempt <= UnlockedAttempts && seen.Clients > 0;
            var found = unlocked ? Differences(store, connection, null, parameters, Most(seen.Clients!.Value)) : null;
            if (unlocked)
            {
                computed?.Invoke();
            }

            using var tx = connection.BeginTransaction();
            if (LockSql(store.Dialect) is { } lockSql)
            {
                connection.Execute(lockSql, transaction: tx);
            }

            var now = DirectoryState.Read(connection, tx);
            if (now.IsCurrent(today))
            {
                // Another reader computed it while this one computed or waited for the lock.
                tx.Commit();
                return false;
            }

            if (unlocked && now != seen)
            {
                // A sync or unification landed, or another reader wrote the rows for another day: what was computed may not hold.
                tx.Rollback();
                continue;
            }

            if (connection.ExecuteScalar<long>(SearchMissingSql, transaction: tx) == 1)
            {
                // A store unified before the search index existed: index every member once.
                ClientSearchWriter.Rebuild(connection, tx, store.Dialect);
            }

            if (!unlocked && now.Clients > 0)
            {
                found = Differences(store, connection, tx, parameters, Most(now.Clients.Value));
            }

            var clients = found is not null ? Write(store, connection, tx, found) : Fill(store, connection, tx, parameters);
            connection.Execute(StateUpsertSql(store.Dialect), new { id = 1, stamp = now.StampFor(today), computed_at = StoreTime.Now(store.Time), clients }, tx);
            tx.Commit();
            return true;
        }
    }

    /// <summary>How many times the rows are computed without the write lock before a change landing meanwhile has them computed under it.</summary>
    internal const int UnlockedAttempts = 3;

    /// <summary>The directory's state as stored (its stamp, when it was computed, how many rows) beside the last sync run that
    /// changed the mirror and the last unification run: what it would be computed from now.</summary>
    private readonly record struct DirectoryState(string? Stamp, string? ComputedAt, long? Clients, long? Sync, long? Unification)
    {
        public static DirectoryState Read(DbConnection connection, DbTransaction? tx)
        {
            var (stamp, computedAt, clients, sync, unification) = connection.QuerySingle<(string?, string?, long?, long?, long?)>(CheckSql, transaction: tx);
            return new DirectoryState(stamp, computedAt, clients, sync, unification);
        }

        public string StampFor(DateOnly today) => ClientDirectoryWriter.Stamp(today, Sync, Unification);

        public bool IsCurrent(DateOnly today) => string.Equals(Stamp, StampFor(today), StringComparison.Ordinal);
    }

    /// <summary>The rows to write where the directory has rows: those that differ from the stored ones, and the clients no longer live.</summary>
    private sealed record RowDifferences(List<DirectoryRow> Upserts, List<long> Deletes, long Rows);

    /// <summary>Writes every row again, the table's indexes set aside meanwhile and made after, each one sort: the first
    /// computation, and one after which most rows differ (a unification that examined every row).</summary>
    /// <returns>The rows written.</returns>
    private static long Fill(CrmStore store, DbConnection connection, DbTransaction tx, object parameters)
    {
        var suspended = BulkWrite.Suspend(connection, tx, store.Dialect, "client_directory", triggers: false);
        connection.Execute(ClearSql, transaction: tx);
        var rows = connection.Execute(FillSql, parameters, tx, commandTimeout: 0);
        suspended.Restore();
        return rows;
    }

    /// <summary>Computes every row and keeps those that differ from the stored ones: the computed rows and the stored ones
    /// are read side by side in client order (the stored ones on a connection of their own) and compared column by column.
    /// After a sync or unification that changed a few clients, or a new day, that is a few rows: a row's order key is its own
    /// (<see cref="ListRank"/>), so a client moving in the ranking moves no other row.</summary>
    /// <param name="tx">The write transaction the rows are computed under, or null when they are computed before it.</param>
    /// <returns>The differences; null when more than <paramref name="most"/> differ, where writing every row again with the
    /// indexes set aside costs less than row by row.</returns>
    private static RowDifferences? Differences(CrmStore store, DbConnection connection, DbTransaction? tx, object parameters, long most)
    {
        var upserts = new List<DirectoryRow>();
        var deletes = new List<long>();
        var rows = 0L;
        using (var other = store.Open())
        {
            using var computed = Computed(store, connection, tx, parameters).GetEnumerator();
            using var kept = Read(other, StoredSql, r => new DirectoryRow
            {
                ClientId = r.GetInt64(0), DisplayName = r.GetString(1), SortName = r.GetString(2), Manager = r.GetStringOrNull(3), Region = r.GetStringOrNull(4),
                AbcClass = r.GetStringOrNull(5), ListRank = r.GetInt64(6), Revenue = r.GetInt64(7), Overdue = r.GetInt64(8), LegalEntities = r.GetInt64(9),
                Branches = r.GetInt64(10),
            }).GetEnumerator();
            var (hasComputed, hasKept) = (computed.MoveNext(), kept.MoveNext());
            while (hasComputed || hasKept)
            {
                if (upserts.Count + deletes.Count > most)
                {
                    return null;
                }

                if (hasKept && (!hasComputed || kept.Current.ClientId < computed.Current.ClientId))
                {
                    deletes.Add(kept.Current.ClientId);
                    hasKept = kept.MoveNext();
                    continue;
                }

                rows++;
                if (!hasKept || computed.Current.ClientId < kept.Current.ClientId)
                {
                    upserts.Add(computed.Current);
                    hasComputed = computed.MoveNext();
                    continue;
                }

                // The sort name is the display name's, folded: kept where the display name is (folding it is a call per row).
                if (string.Equals(computed.Current.DisplayName, kept.Current.DisplayName, StringComparison.Ordinal))
                {
                    computed.Current.SortName = kept.Current.SortName;
                }

                if (!computed.Current.Equals(kept.Current))
                {
                    upserts.Add(computed.Current);
                }

                (hasComputed, hasKept) = (computed.MoveNext(), kept.MoveNext());
            }
        }

        foreach (var row in upserts.Where(r => r.SortName is null))
        {
            row.SortName = connection.ExecuteScalar<string>(SortNameSql, new { name = row.DisplayName }, tx);
        }

        return new RowDifferences(upserts, deletes, rows);
    }

    /// <summary>Writes the rows that differ and deletes those of clients no longer live, each through one prepared statement
    /// (<see cref="RowWriter"/>: bound by position on SQLite, sent a thousand at a time on PostgreSQL), as the write lock is held meanwhile.</summary>
    /// <returns>The rows there are now.</returns>
    private static long Write(CrmStore store, DbConnection connection, DbTransaction tx, RowDifferences differences)
    {
        if (differences.Deletes.Count > 0)
        {
            using var delete = new RowWriter(connection, tx, DeleteSql, "id");
            foreach (var id in differences.Deletes)
            {
                delete.Add(id);
            }

            delete.Flush();
        }

        if (differences.Upserts.Count > 0)
        {
            using var upsert = new RowWriter(connection, tx, UpsertSql(store.Dialect), [.. ColumnsAndProperties.Select(c => c.Property)]);
            foreach (var r in differences.Upserts)
            {
                // In ColumnsAndProperties' order.
                upsert.Add(r.ClientId, r.DisplayName, r.SortName, r.Manager, r.Region, r.AbcClass, r.ListRank, r.Revenue, r.Overdue, r.LegalEntities, r.Branches);
            }

            upsert.Flush();
        }

        return differences.Rows;
    }

    /// <summary>
    /// Every live client's row in client order, as <see cref="FillSql"/> computes it, from pieces that each cost one pass:
    /// the window's revenue per client ranked here (<see cref="ClientMoneySql.ParetoClassOf"/>), the overdue debt per client,
    /// and the clients and their members' managers and regions read side by side in client order (each on a connection of
    /// its own). SQLite joins <see cref="FillSql"/>'s pieces by building an index on each; this reads each once.
    /// </summary>
    private static IEnumerable<DirectoryRow> Computed(CrmStore store, DbConnection connection, DbTransaction? tx, object parameters)
    {
        // The ranking, every row of it listed: revenue descending, then id (the invoices of no client as id 0, ranked like a client).
        var revenue = connection.Query<(long? Id, long Amount, long Invoices)>(ClientMoneySql.RevenueByClient(""), parameters, tx, commandTimeout: 0).AsList();
        var ranking = new RevenueRanking<long>(revenue.Count, static (a, b) => a.CompareTo(b));
        foreach (var (id, amount, _) in revenue)
        {
            ranking.Add(amount, id ?? 0, static id => id);
        }

        revenue = null;
        var ranked = new Dictionary<long, (long Amount, string Class)>();
        foreach (var row in ranking.Rank().Top)
        {
            if (row.Key != 0)
            {
                ranked[row.Key] = (row.Amount, row.Class);
            }
        }

        ranking = null;
        var overdue = new Dictionary<long, long>();
        foreach (var (id, amount) in connection.Query<(long, long?)>(OverdueByClientSql, parameters, tx, buffered: false, commandTimeout: 0))
        {
            overdue[id] = amount ?? 0;
        }

        using var clientsConnection = store.Open();
        using var membersConnection = store.Open();
        using var members = Read(membersConnection, MembersSql, r => (ClientId: r.GetInt64(0), Manager: r.GetStringOrNull(1), Region: r.GetStringOrNull(2))).GetEnumerator();
        var hasMember = members.MoveNext();
        var clients = Read(clientsConnection, ClientsSql, r => new DirectoryRow
        {
            ClientId = r.GetInt64(0), DisplayName = r.GetString(1), LegalEntities = r.GetInt64(2), Branches = r.GetInt64(3),
        });
        foreach (var client in clients)
        {
            while (hasMember && members.Current.ClientId < client.ClientId)
            {
                hasMember = members.MoveNext();
            }

            if (hasMember && members.Current.ClientId == client.ClientId)
            {
                (client.Manager, client.Region) = (members.Current.Manager, members.Current.Region);
            }

            if (ranked.TryGetValue(client.ClientId, out var rank))
            {
                (client.AbcClass, client.Revenue, client.ListRank) = (rank.Class, rank.Amount, -rank.Amount);
            }
            else
            {
                client.ListRank = Unranked + client.ClientId;
            }

            client.Overdue = overdue.GetValueOrDefault(client.ClientId);
            yield return client;
        }
    }

    /// <summary>Overdue debt as of @asOf per client (<see cref="FillSql"/>'s <c>overdue_by</c>).</summary>
    private static readonly string OverdueByClientSql =
        "SELECT i.client_id AS id, CAST(SUM(" + ClientMoneySql.OpenAmount + ") AS BIGINT) AS amount FROM mirror_invoices i " +
        "WHERE i.client_id IS NOT NULL AND " + ClientMoneySql.Overdue + " GROUP BY i.client_id";

    /// <summary>Each client's manager (<see cref="ClientMoneySql.Managers"/>'s rule: its head members' counterparties' first)
    /// and region (its head members' first) as <c>(id, manager, region)</c>, in one pass over the members.</summary>
    private static readonly string MembersSelect =
        "SELECT m.client_id AS id, " + ClientMoneySql.HeadFirst("manager") + " AS manager, " +
        "COALESCE(MIN(CASE WHEN m.role = 'head' THEN m.region END), MIN(m.region)) AS region " +
        "FROM client_members m LEFT JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id GROUP BY m.client_id";

    /// <summary><see cref="MembersSelect"/> in client order.</summary>
    private static readonly string MembersSql = MembersSelect + " ORDER BY m.client_id";

    /// <summary>The live clients in client order, with what the directory shows of the client row itself.</summary>
    private const string ClientsSql =
        "SELECT c.client_id, c.display_name, c.legal_entities, c.branches FROM clients c WHERE c.retired_at IS NULL ORDER BY c.client_id";

    /// <summary>A display name's sort name (<c>@name</c>), as <see cref="FillSql"/> folds it.</summary>
    internal static readonly string SortNameSql = "SELECT " + SortNameOf("@name");

    /// <summary>The sort name of a display name: lower case (the store's <c>lower()</c>), ё as е, its first 200 characters.</summary>
    private static string SortNameOf(string displayName) => "SUBSTRING(REPLACE(LOWER(" + displayName + "), 'ё', 'е'), 1, 200)";

    /// <summary>A statement's rows, each made by <paramref name="make"/> from the reader as it stands on it.</summary>
    private static IEnumerable<T> Read<T>(DbConnection connection, string sql, Func<DbDataReader, T> make)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return make(reader);
        }
    }


    /// <summary>Fewer differences than this are always written row by row, however small the directory.</summary>
    internal const int MinDifferences = 1_000;

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
        var state = DirectoryState.Read(connection, null);
        return state.Stamp is not null && state.Stamp.EndsWith(SourcesStamp(state.Sync, state.Unification), StringComparison.Ordinal) ? DirectoryManagersSql : null;
    }

    /// <summary>Each client's manager as the directory holds it, for <see cref="CurrentManagersSql"/>; read through the index
    /// on the manager (which holds the client id) on SQLite.</summary>
    internal const string DirectoryManagersSql = "SELECT d.client_id AS id, d.manager AS manager FROM client_directory d WHERE d.manager IS NOT NULL";

    private const string Sources = "(SELECT MAX(id) FROM sync_runs WHERE inserted + changed + vanished > 0), (SELECT MAX(id) FROM unification_runs)";

    /// <summary>The last sync run that changed the mirror and the last unification run (the recommendations' stamp reads them too).</summary>
    internal const string SourcesSql = "SELECT " + Sources;

    internal const string StateSql = "SELECT stamp FROM client_directory_state WHERE id = 1";

    /// <summary>The state's stamp, when it was computed and its rows, then <see cref="SourcesSql"/>'s two ids (a <see cref="DirectoryState"/>).</summary>
    internal const string CheckSql = "SELECT (" + StateSql + "), (SELECT computed_at FROM client_directory_state WHERE id = 1), (" + CountSql + "), " + Sources;

    internal const string SearchMissingSql =
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM client_members) AND NOT EXISTS (SELECT 1 FROM client_search) THEN 1 ELSE 0 END";

    internal const string ClearSql = "DELETE FROM client_directory";

    /// <summary>The number of rows the directory holds, as its last computation left it (null before the first).</summary>
    internal const string CountSql = "SELECT clients FROM client_directory_state WHERE id = 1";

    /// <summary>
    /// A row's place in the revenue order, its own value: minus its revenue while it has revenue in the window (the Pareto
    /// report's ranking, revenue descending, then id), else <see cref="Unranked"/> plus its id, past every ranked one. Pages
    /// continue from <c>(list_rank, client_id)</c>.
    /// </summary>
    /// <remarks>Valid while a client's revenue stays within ±4·10¹⁸ of the base currency's minor units.</remarks>
    internal static readonly string ListRank =
        "CAST(CASE WHEN r.id IS NULL THEN " + Unranked.ToString(CultureInfo.InvariantCulture) + " + c.client_id ELSE -r.amount END AS BIGINT)";

    /// <summary>Where the clients without revenue in the window start in the revenue order.</summary>
    internal const long Unranked = 4_000_000_000_000_000_000;

    /// <summary>The table's columns, each with the property of <see cref="DirectoryRow"/> it is read into and written from.</summary>
    private static readonly (string Column, string Property)[] ColumnsAndProperties =
    [
        ("client_id", "ClientId"), ("display_name", "DisplayName"), ("sort_name", "SortName"), ("manager", "Manager"), ("region", "Region"),
        ("abc_class", "AbcClass"), ("list_rank", "ListRank"), ("revenue", "Revenue"), ("overdue", "Overdue"), ("legal_entities", "LegalEntities"),
        ("branches", "Branches"),
    ];

    private static readonly string Columns = string.Join(", ", ColumnsAndProperties.Select(c => c.Column));

    /// <summary>Every live client with the window's revenue and class (the Pareto report's own ranking), overdue debt, manager
    /// and region, and its place in the revenue order (<see cref="ListRank"/>).</summary>
    private static readonly string RowsWith =
        ClientMoneySql.Ranking +
        ", overdue_by AS (" + OverdueByClientSql + "), members_of AS (" + MembersSelect + ") ";

    private static readonly string RowsSelect =
        "SELECT c.client_id AS ClientId, c.display_name AS DisplayName, " + SortNameOf("c.display_name") + " AS SortName, " +
        "mg.manager AS Manager, mg.region AS Region, " +
        "CASE WHEN r.id IS NULL THEN NULL ELSE " + ClientMoneySql.ParetoClass("r") + " END AS AbcClass, " +
        ListRank + " AS ListRank, CAST(COALESCE(r.amount, 0) AS BIGINT) AS Revenue, CAST(COALESCE(o.amount, 0) AS BIGINT) AS Overdue, " +
        "c.legal_entities AS LegalEntities, c.branches AS Branches " +
        "FROM clients c LEFT JOIN ranked r ON r.id = c.client_id LEFT JOIN overdue_by o ON o.id = c.client_id " +
        "LEFT JOIN members_of mg ON mg.id = c.client_id WHERE c.retired_at IS NULL";

    /// <summary>Every row computed afresh (<see cref="RowsSelect"/>) into the emptied table.</summary>
    internal static readonly string FillSql = RowsWith + "INSERT INTO client_directory (" + Columns + ") " + RowsSelect;

    /// <summary>The stored rows, in client order, their columns in <see cref="ColumnsAndProperties"/>' order.</summary>
    internal static readonly string StoredSql =
        "SELECT " + Columns + " FROM client_directory ORDER BY client_id";

    internal const string DeleteSql = "DELETE FROM client_directory WHERE client_id = @id";

    /// <summary>Writes one <see cref="DirectoryRow"/>, inserted or over the stored one.</summary>
    internal static string UpsertSql(StoreDialect dialect) => dialect.Upsert(
        "client_directory", ["client_id"], ColumnsAndProperties.Select(c => c.Column).ToArray(),
        computed: ColumnsAndProperties.ToDictionary(c => c.Column, c => "@" + c.Property));

    /// <summary>A directory row as computed and as stored; equal when every column is.</summary>
    private sealed record DirectoryRow
    {
        public long ClientId { get; set; }

        public string DisplayName { get; set; } = "";

        /// <summary>Null on a computed row until it is known (kept from the stored row, or folded by <see cref="SortNameSql"/>).</summary>
        public string? SortName { get; set; }

        public string? Manager { get; set; }

        public string? Region { get; set; }

        public string? AbcClass { get; set; }

        public long ListRank { get; set; }

        public long Revenue { get; set; }

        public long Overdue { get; set; }

        public long LegalEntities { get; set; }

        public long Branches { get; set; }
    }

    internal static string StateUpsertSql(StoreDialect dialect) => dialect.Upsert("client_directory_state", ["id"], ["id", "stamp", "computed_at", "clients"]);

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
        yield return CountSql;
        yield return FillSql;
        yield return StoredSql;
        yield return OverdueByClientSql;
        yield return MembersSql;
        yield return ClientsSql;
        yield return SortNameSql;
        yield return DeleteSql;
        yield return UpsertSql(dialect);
        yield return DirectoryManagersSql;
        yield return StateUpsertSql(dialect);
        if (LockSql(dialect) is { } lockSql)
        {
            yield return lockSql;
        }
    }
}

using System.Data;
using System.Data.Common;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Clients;

/// <summary>The one writer of <c>client_search</c>: one row per client member with its folded name, INN, phones and e-mail.</summary>
/// <remarks>
/// Written with the members (unification: <see cref="ClientStore.Save"/>) and when sync changes a member's counterparty
/// (its name, phone, mail), on the caller's transaction. On SQLite an FTS5 trigram index follows the table through
/// triggers (migration 10), so any part of a name of three characters or more is found without reading every row;
/// PostgreSQL and SQL Server read the table with LIKE. Not thread-safe: one per transaction.
/// </remarks>
internal sealed class ClientSearchWriter : IDisposable
{
    private readonly RowWriter _upsert;
    private readonly RowWriter _move;
    private readonly DbCommand _member;
    private readonly DbConnection _connection;
    private readonly DbTransaction? _transaction;
    private readonly StoreDialect _dialect;

    public ClientSearchWriter(DbConnection connection, DbTransaction? transaction, StoreDialect dialect)
    {
        _connection = connection;
        _transaction = transaction;
        _dialect = dialect;
        _upsert = new RowWriter(connection, transaction, UpsertSql(dialect), "ledger", "ledger_id", "client_id", "text");
        _move = new RowWriter(connection, transaction, MoveSql, "client_id", "ledger", "ledger_id", "text");
        _member = connection.CreateCommand();
        _member.Transaction = transaction;
        _member.CommandText = MemberSql;
        foreach (var name in new[] { "@ledger", "@ledger_id" })
        {
            var p = _member.CreateParameter();
            p.ParameterName = name;
            p.DbType = DbType.String;
            _member.Parameters.Add(p);
        }
    }

    /// <summary>Indexes one member as the membership and the mirror hold it now (in this transaction); nothing when the row is in no client.</summary>
    public void Refresh(string ledger, string ledgerId)
    {
        _member.Parameters[0].Value = ledger;
        _member.Parameters[1].Value = ledgerId;
        long clientId;
        string text;
        using (var r = _member.ExecuteReader())
        {
            if (!r.Read())
            {
                return;
            }

            clientId = r.GetInt64(0);
            text = SearchText.Document(r.GetStringOrNull(3), r.GetStringOrNull(1), r.GetStringOrNull(2), r.GetStringOrNull(4), r.GetStringOrNull(5));
        }

        Write(ledger, ledgerId, clientId, text);

    }

    /// <summary>Indexes members of one ledger as <see cref="Refresh(string, string)"/> does. On PostgreSQL, where each
    /// statement is a round trip, their membership is read in one statement for all of them.</summary>
    public void Refresh(string ledger, IReadOnlyCollection<string> ledgerIds)
    {
        if (_dialect.Provider != DatabaseProvider.PostgreSql)
        {
            foreach (var ledgerId in ledgerIds)
            {
                Refresh(ledger, ledgerId);
            }

            return;
        }

        // Read whole before writing: Npgsql runs one command at a time on a connection.
        var members = _connection.Query<(string Ledger, string LedgerId, long ClientId, string? EntityName, string? TaxId, string? Name, string? Phone, string? Email)>(
            _dialect.InLists(MembersOfSql), new { ledger, ledgerIds = _dialect.List(ledgerIds) }, _transaction).AsList();
        foreach (var m in members)
        {
            Write(ledger, m.LedgerId, m.ClientId, SearchText.Document(m.Name, m.EntityName, m.TaxId, m.Phone, m.Email));
        }
    }

    /// <summary>Indexes the members that moved in a unification run. An empty index (the store's first run) is built whole
    /// (<see cref="Rebuild"/>: pages of every member) instead of with a read per member.</summary>
    public static void RefreshMoved(DbConnection connection, DbTransaction transaction, StoreDialect dialect, IReadOnlyCollection<(string Ledger, string LedgerId)> moved)
    {
        if (moved.Count == 0)
        {
            return;
        }

        if (connection.ExecuteScalar<int>(AnySql, transaction: transaction) == 0)
        {
            Rebuild(connection, transaction, dialect);
            return;
        }

        using var writer = new ClientSearchWriter(connection, transaction, dialect);
        foreach (var (ledger, ledgerId) in moved)
        {
            writer.Refresh(ledger, ledgerId);
        }
    }

    /// <summary>A member whose text is unchanged only changes client: its trigram index entry stays as it is.</summary>
    private void Write(string ledger, string ledgerId, long clientId, string text)
    {
        if (_move.Execute(clientId, ledger, ledgerId, text) == 0)
        {
            _upsert.Execute(ledger, ledgerId, clientId, text);
        }
    }

    /// <summary>Re-indexes every member from the mirror and the membership, a page at a time in key order: for a store
    /// made before the index existed, and for a store's first unification.</summary>
    /// <remarks>On SQLite the table is filled with its indexes and the trigram index's triggers set aside
    /// (<see cref="BulkWrite"/>), and the trigram index is built in one pass after the rows are written, not row by
    /// row through its triggers (at 100,000 members a third of the processor time).</remarks>
    public static void Rebuild(DbConnection connection, DbTransaction transaction, StoreDialect dialect)
    {
        var sqlite = dialect.Provider == DatabaseProvider.Sqlite;
        var suspended = sqlite ? BulkWrite.Suspend(connection, transaction, dialect, "client_search", triggers: true) : null;
        connection.Execute(DeleteAllSql, transaction: transaction);
        Fill(connection, transaction, dialect);
        if (sqlite)
        {
            // Drops whatever the index held, then indexes every row of the table.
            connection.Execute(BuildIndexSql, transaction: transaction);
        }

        suspended?.Restore();
    }

    private static void Fill(DbConnection connection, DbTransaction transaction, StoreDialect dialect)
    {
        // The table is empty and every member's key is its own: plain inserts, which need no unique index.
        using var insert = new RowWriter(connection, transaction, InsertSql, "ledger", "ledger_id", "client_id", "text");
        var page = PageSql(dialect);
        var (after, afterId) = (string.Empty, string.Empty);
        while (true)
        {
            // Read whole before writing: a provider (Npgsql) runs one command at a time on a connection.
            var members = connection.Query<(string Ledger, string LedgerId, long ClientId, string? EntityName, string? TaxId, string? Name, string? Phone, string? Email)>(
                page, new { ledger = after, ledgerId = afterId }, transaction).AsList();
            foreach (var m in members)
            {
                insert.Add(m.Ledger, m.LedgerId, m.ClientId, SearchText.Document(m.Name, m.EntityName, m.TaxId, m.Phone, m.Email));
            }

            insert.Flush();

            if (members.Count < RebuildPage)
            {
                return;
            }

            (after, afterId) = (members[^1].Ledger, members[^1].LedgerId);
        }
    }

    /// <summary>Members read per page when the index is built whole.</summary>
    private const int RebuildPage = 10_000;

    /// <summary>The next page of every member after (@ledger, @ledgerId), in key order.</summary>
    /// <remarks>A row value where the database compares one: SQLite reads <c>a &gt; x OR (a = x AND b &gt; y)</c> as a range
    /// on <c>a</c> alone and walks every earlier member of the ledger again for each page (at a million members, about 7 s
    /// of processor time); a row value seeks straight to the page. SQL Server has none.</remarks>
    internal static string PageSql(StoreDialect dialect) =>
        dialect.Top(AllMembersSql + (dialect.Provider == DatabaseProvider.SqlServer
            ? " WHERE m.ledger > @ledger OR (m.ledger = @ledger AND m.ledger_id > @ledgerId)"
            : " WHERE (m.ledger, m.ledger_id) > (@ledger, @ledgerId)") + " ORDER BY m.ledger, m.ledger_id", RebuildPage);

    public void Dispose()
    {
        _upsert.Dispose();
        _move.Dispose();
        _member.Dispose();
    }

    internal static string UpsertSql(StoreDialect dialect) => dialect.Upsert("client_search", ["ledger", "ledger_id"], ["ledger", "ledger_id", "client_id", "text"]);

    internal const string InsertSql = "INSERT INTO client_search (ledger, ledger_id, client_id, text) VALUES (@ledger, @ledger_id, @client_id, @text)";

    internal const string DeleteAllSql = "DELETE FROM client_search";

    /// <summary>SQLite: builds the trigram index afresh from every row of <c>client_search</c> in one pass (FTS5 first drops
    /// the whole index it held), then sets FTS5's settings back to their defaults.</summary>
    /// <remarks>FTS5 gathers terms in a hash of <c>hashsize</c> bytes (1 MiB by default) and writes a segment each time
    /// it fills, and by default (<c>automerge</c> 4) merges segments as they pile up, so a term's entries are written
    /// again at every level. For the whole build the hash is 16 MiB and nothing is merged as it goes; one
    /// <c>optimize</c> at the end merges every segment once into one, the form a query reads fastest. At 1,000,000
    /// members (the sqlite3 shell, in a rolled-back transaction) 17.4–18.6 s of processor time became 13.8 s.</remarks>
    internal const string BuildIndexSql =
        "INSERT INTO client_search_fts (client_search_fts, rank) VALUES ('automerge', 0); " +
        "INSERT INTO client_search_fts (client_search_fts, rank) VALUES ('hashsize', 16777216); " +
        "INSERT INTO client_search_fts (client_search_fts) VALUES ('rebuild'); " +
        "INSERT INTO client_search_fts (client_search_fts) VALUES ('optimize'); " +
        "INSERT INTO client_search_fts (client_search_fts, rank) VALUES ('automerge', 4); " +
        "INSERT INTO client_search_fts (client_search_fts, rank) VALUES ('hashsize', 1048576)";

    internal const string MoveSql = "UPDATE client_search SET client_id = @client_id WHERE ledger = @ledger AND ledger_id = @ledger_id AND text = @text";

    /// <summary>1 when the index holds a row, else 0.</summary>
    internal const string AnySql = "SELECT CASE WHEN EXISTS (SELECT 1 FROM client_search) THEN 1 ELSE 0 END";

    private const string MemberColumns =
        "SELECT m.client_id, m.entity_name, COALESCE(c.tax_id, m.tax_id), c.name, c.phone, c.email FROM client_members m " +
        "LEFT JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id";

    internal const string MemberSql = MemberColumns + " WHERE m.ledger = @ledger AND m.ledger_id = @ledger_id";

    internal const string AllMembersSql =
        "SELECT m.ledger, m.ledger_id, m.client_id, m.entity_name, COALESCE(c.tax_id, m.tax_id), c.name, c.phone, c.email FROM client_members m " +
        "LEFT JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id";

    /// <summary>The members among the keys of the list <c>@ledgerIds</c> of one ledger (<see cref="StoreDialect.InLists"/>).</summary>
    internal const string MembersOfSql = AllMembersSql + " WHERE m.ledger = @ledger AND m.ledger_id IN @ledgerIds";

    /// <summary>Every statement this class sends, for a dialect; tests parse the T-SQL ones.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) => [UpsertSql(dialect), InsertSql, DeleteAllSql, MoveSql, AnySql, MemberSql, AllMembersSql, PageSql(dialect)];
}

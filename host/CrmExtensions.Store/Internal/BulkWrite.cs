using System.Data.Common;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Internal;

/// <summary>A table's secondary indexes (and on SQLite, for a caller that does their work itself, its triggers) set aside
/// while a bulk write fills it from empty, and made again afterwards from the text the database itself keeps for them,
/// in the caller's transaction.</summary>
/// <remarks>
/// Kept live, each row written pays for every index and trigger of its table on its own: a B-tree descent per index in
/// an order the rows do not come in, a trigram index entry per row. Made again after the write, an index is one sort of
/// the whole table and the trigram index one pass. Nothing here commits: a run killed half-way rolls the drops back with
/// its rows, so the store stays as it was; and the objects come back exactly as the migrations made them, whatever they
/// were. Its primary key (and any UNIQUE constraint, which has no stored text on SQLite and is a constraint's own index on
/// PostgreSQL) stays: an upsert needs it. On PostgreSQL dropping an index locks the table against readers until the
/// transaction ends; the callers' tables are ones nobody reads while they are refilled (a first unification's members,
/// the client directory, whose readers wait for its computation anyway, a mirror table's first load, empty until it
/// commits). On SQL Server nothing is set aside.
/// </remarks>
internal sealed class BulkWrite
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly List<string> _made;

    private BulkWrite(DbConnection connection, DbTransaction transaction, List<string> made)
    {
        _connection = connection;
        _transaction = transaction;
        _made = made;
    }

    /// <summary>Drops the indexes of <paramref name="table"/> made by a statement (not a key's or a constraint's own index),
    /// and on SQLite its triggers when <paramref name="triggers"/>: only for a caller that does itself, after the write,
    /// what they would have done row by row (the trigram index's one-pass build).</summary>
    /// <returns>The set-aside objects; <see cref="Restore"/> makes them again.</returns>
    /// <exception cref="NotSupportedException"><paramref name="triggers"/> on another database than SQLite.</exception>
    public static BulkWrite Suspend(DbConnection connection, DbTransaction transaction, StoreDialect dialect, string table, bool triggers)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        if (triggers && dialect.Provider != DatabaseProvider.Sqlite)
        {
            throw new NotSupportedException("Only SQLite's triggers are set aside for a bulk write.");
        }

        var objects = dialect.Provider switch
        {
            DatabaseProvider.Sqlite => connection.Query<(string Type, string Name, string Sql)>(SqliteObjectsSql, new { table, trigger = triggers ? "trigger" : "index" }, transaction).AsList(),
            DatabaseProvider.PostgreSql => connection.Query<(string Type, string Name, string Sql)>(PostgresIndexesSql, new { table }, transaction).AsList(),
            _ => [],
        };
        foreach (var (type, name, _) in objects)
        {
            connection.Execute("DROP " + type.ToUpperInvariant() + " " + dialect.Quote(name), transaction: transaction);
        }

        return new BulkWrite(connection, transaction, [.. objects.Select(o => o.Sql)]);
    }

    /// <summary>Makes every set-aside index and trigger again, indexes first (a trigger's statements may use them).</summary>
    public void Restore()
    {
        foreach (var sql in _made)
        {
            _connection.Execute(sql, transaction: _transaction, commandTimeout: 0);
        }

        _made.Clear();
    }

    /// <summary>A table's indexes, and its triggers when <c>@trigger</c> is 'trigger', with their text, indexes first; an
    /// automatic index (a key's) has none.</summary>
    internal const string SqliteObjectsSql =
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', @trigger) AND tbl_name = @table AND sql IS NOT NULL ORDER BY type, name";

    /// <summary>A table's indexes in the current schema with their text, but those a constraint (the primary key, a UNIQUE
    /// constraint) owns.</summary>
    internal const string PostgresIndexesSql =
        "SELECT 'index' AS type, i.indexname AS name, i.indexdef AS sql FROM pg_indexes i " +
        "WHERE i.schemaname = current_schema() AND i.tablename = @table " +
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) " +
        "ORDER BY i.indexname";
}

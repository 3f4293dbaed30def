using System.Data.Common;
using Dapper;

namespace CrmExtensions.Store.Internal;

/// <summary>SQLite: a table's secondary indexes (and, for a caller that does their work itself, its triggers) set aside
/// while a bulk write fills it from empty, and made again afterwards from the text the store itself keeps for them, in
/// the caller's transaction.</summary>
/// <remarks>
/// Kept live, each row written pays for every index and trigger of its table on its own: a B-tree descent per index in
/// an order the rows do not come in, a trigram index entry per row. Made again after the write, an index is one sort of
/// the whole table and the trigram index one pass. Nothing here commits: a run killed half-way rolls the drops back with
/// its rows, so the store stays as it was; and the objects come back exactly as the migrations made them, whatever they
/// were. Its primary key (and any UNIQUE constraint, which has no stored text) stays: an upsert needs it.
/// </remarks>
internal sealed class SqliteBulkWrite
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly List<string> _made;

    private SqliteBulkWrite(DbConnection connection, DbTransaction transaction, List<string> made)
    {
        _connection = connection;
        _transaction = transaction;
        _made = made;
    }

    /// <summary>Drops the indexes of <paramref name="table"/> made by a statement (not a key's own index), and its triggers
    /// when <paramref name="triggers"/>: only for a caller that does itself, after the write, what they would have done
    /// row by row (the trigram index's one-pass build).</summary>
    /// <returns>The set-aside objects; <see cref="Restore"/> makes them again.</returns>
    public static SqliteBulkWrite Suspend(DbConnection connection, DbTransaction transaction, string table, bool triggers)
    {
        var objects = connection.Query<(string Type, string Name, string Sql)>(ObjectsSql, new { table, trigger = triggers ? "trigger" : "index" }, transaction).AsList();
        foreach (var (type, name, _) in objects)
        {
            connection.Execute("DROP " + type.ToUpperInvariant() + " \"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", transaction: transaction);
        }

        return new SqliteBulkWrite(connection, transaction, [.. objects.Select(o => o.Sql)]);
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
    internal const string ObjectsSql =
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', @trigger) AND tbl_name = @table AND sql IS NOT NULL ORDER BY type, name";
}

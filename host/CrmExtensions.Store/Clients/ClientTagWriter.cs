using System.Data.Common;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Clients;

/// <summary>The one writer of the <c>client_tags</c> table: one value per (client, name), with the plugin that set it.</summary>
/// <remarks>Works on the caller's connection and transaction, through two prepared commands reused for every row:
/// a rule may tag every one of a million clients in one unit. The rows go through <see cref="RowWriter.Add"/>: on
/// PostgreSQL they are held and sent a batch at a time, so the caller calls <see cref="Flush"/> before anything reads
/// the tags or commits. A set and a remove of the same tag keep their order: each flushes what the other holds.</remarks>
internal sealed class ClientTagWriter(DbConnection connection, DbTransaction? transaction, StoreDialect dialect) : IDisposable
{
    internal const string DeleteSql = "DELETE FROM client_tags WHERE client_id = @client_id AND name = @name";

    private RowWriter? _upsert;
    private RowWriter? _delete;

    internal static string UpsertSql(StoreDialect dialect) =>
        dialect.Upsert("client_tags", ["client_id", "name"], ["client_id", "name", "value", "plugin_id", "updated_at"]);

    /// <summary>Every statement for a dialect, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) => [UpsertSql(dialect), DeleteSql];

    /// <summary>Sets a client's tag, replacing its value.</summary>
    public void Set(long clientId, string name, string value, string pluginId, string at)
    {
        _upsert ??= new RowWriter(connection, transaction, UpsertSql(dialect), "client_id", "name", "value", "plugin_id", "updated_at");
        _delete?.Flush();
        _upsert.Add(clientId, name, value, pluginId, at);
    }

    /// <summary>Removes a client's tag, if it has it.</summary>
    public void Remove(long clientId, string name)
    {
        _delete ??= new RowWriter(connection, transaction, DeleteSql, "client_id", "name");
        _upsert?.Flush();
        _delete.Add(clientId, name);
    }

    /// <summary>Sends the writes held, in the order they were made.</summary>
    public void Flush()
    {
        // At most one of the two holds rows: each flushes the other before it holds one.
        _upsert?.Flush();
        _delete?.Flush();
    }

    public void Dispose()
    {
        _upsert?.Dispose();
        _delete?.Dispose();
    }
}

using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 32, SQLite only: <c>client_tags</c> is kept in its key's order (<c>WITHOUT ROWID</c>), so the row is
/// stored in the index of (client, name) instead of in a table beside it.</summary>
/// <remarks>A tag row is small (a client, a name, a value, a plugin and an instant) and read by its key or through the index by
/// (name, value, client): the row ids SQLite adds otherwise are read by nothing. Every tag set was an insert into three
/// b-trees (the table, its key and the index by value), now two, and the table takes about a fifth less room. A first
/// evaluation of the shipped plugins writes a tag for nearly every client (968,527 tag writes at 1,000,000
/// counterparties). PostgreSQL and SQL Server keep their tables as they are.</remarks>
internal static class ClientTagsWithoutRowIdMigration
{
    public static Migration Migration { get; } = new(32, "client tags kept in their key's order", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        if (d.Provider != DatabaseProvider.Sqlite)
        {
            yield break;
        }

        // The columns of migration 7.
        yield return d.Ddl("CREATE TABLE client_tags_by_key (client_id {bigint} NOT NULL, name {key} NOT NULL, value {text} NOT NULL, " +
            "plugin_id {key} NOT NULL, updated_at {key} NOT NULL, PRIMARY KEY (client_id, name)) WITHOUT ROWID");
        yield return "INSERT INTO client_tags_by_key (client_id, name, value, plugin_id, updated_at) " +
            "SELECT client_id, name, value, plugin_id, updated_at FROM client_tags ORDER BY client_id, name";
        yield return "DROP TABLE client_tags";
        yield return "ALTER TABLE client_tags_by_key RENAME TO client_tags";
        yield return "CREATE INDEX ix_client_tags_value ON client_tags (name, value, client_id)";
    }
}

using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 10: the client directory the web workspace lists and searches, and its search index.</summary>
/// <remarks>
/// <c>client_search</c> holds one folded text per client member (names, INN, phones, e-mail) and is written with the
/// members; on SQLite an FTS5 trigram index follows it through triggers. <c>client_directory</c> is one row per live
/// client with the reporting window's revenue, its Pareto class, its overdue debt, manager and region and its place in
/// the revenue ranking; <c>client_directory_state</c> records what the rows were computed from, so a reader knows when
/// to compute them again.
/// </remarks>
internal static class ClientDirectoryMigration
{
    public static Migration Migration { get; } = new(10, "client directory and its search index", Statements);

    /// <summary>Migration 11: the ABC class filter in name order walks an index in that order instead of sorting half the clients
    /// (class C is most of them: 78 ms a page at 100,000 counterparties before it).</summary>
    public static Migration NameOrderByClass { get; } = new(11, "client directory: class filter in name order", _ =>
        ["CREATE INDEX ix_client_directory_class_name ON client_directory (abc_class, sort_name, client_id)"]);

    /// <summary>The trigger that keeps the trigram index on SQLite when a member's text changes.</summary>
    internal const string SearchUpdateTriggerSql = "CREATE TRIGGER client_search_au AFTER UPDATE OF text ON client_search BEGIN " +
        "INSERT INTO client_search_fts (client_search_fts, rowid, text) VALUES ('delete', old.id, old.text); " +
        "INSERT INTO client_search_fts (rowid, text) VALUES (new.id, new.text); END";

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE client_search ({id:id}, ledger {key} NOT NULL, ledger_id {key} NOT NULL, client_id {bigint} NOT NULL, text {text} NOT NULL)");
        yield return "CREATE UNIQUE INDEX ux_client_search_member ON client_search (ledger, ledger_id)";
        yield return "CREATE INDEX ix_client_search_client ON client_search (client_id)";
        if (d.Provider == DatabaseProvider.Sqlite)
        {
            // Any part of three characters or more is found through the trigram index (MATCH); shorter ones scan the table.
            yield return "CREATE VIRTUAL TABLE client_search_fts USING fts5(text, content='client_search', content_rowid='id', tokenize='trigram')";
            yield return "CREATE TRIGGER client_search_ai AFTER INSERT ON client_search BEGIN " +
                "INSERT INTO client_search_fts (rowid, text) VALUES (new.id, new.text); END";
            yield return "CREATE TRIGGER client_search_ad AFTER DELETE ON client_search BEGIN " +
                "INSERT INTO client_search_fts (client_search_fts, rowid, text) VALUES ('delete', old.id, old.text); END";
            yield return SearchUpdateTriggerSql;
        }

        yield return d.Ddl("CREATE TABLE client_directory (client_id {bigint} NOT NULL PRIMARY KEY, display_name {text} NOT NULL, sort_name {key} NOT NULL, " +
            "manager {key} NULL, region {key} NULL, abc_class {key} NULL, list_order {bigint} NOT NULL, revenue {bigint} NOT NULL, overdue {bigint} NOT NULL, " +
            "legal_entities {bigint} NOT NULL, branches {bigint} NOT NULL)");
        // The revenue order is one number (the place in the Pareto ranking, then clients without revenue by id), so pages
        // continue from a single value; each filter has its index in that order.
        yield return "CREATE UNIQUE INDEX ux_client_directory_order ON client_directory (list_order)";
        yield return "CREATE INDEX ix_client_directory_name ON client_directory (sort_name, client_id)";
        yield return "CREATE INDEX ix_client_directory_manager ON client_directory (manager, list_order)";
        yield return "CREATE INDEX ix_client_directory_region ON client_directory (region, list_order)";
        yield return "CREATE INDEX ix_client_directory_class ON client_directory (abc_class, list_order)";
        yield return d.Ddl("CREATE TABLE client_directory_state (id {bigint} NOT NULL PRIMARY KEY, stamp {key} NOT NULL, computed_at {key} NOT NULL)");
        // Tag and stage filters look tags up by value.
        yield return d.Provider == DatabaseProvider.SqlServer
            ? "CREATE INDEX ix_client_tags_value ON client_tags (name, client_id) INCLUDE (value)" // nvarchar(max) cannot be a key column
            : "CREATE INDEX ix_client_tags_value ON client_tags (name, value, client_id)";
    }
}

using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 34: the client directory ordered by a key each row carries, so that computing it again writes only the
/// rows that changed.</summary>
/// <remarks>
/// The revenue order was a row's place in the ranking (1..n): a client that moved up renumbered every client between its
/// old and its new place, so every computation wrote every row again (25 s at a million counterparties). The order is now
/// <c>(list_rank, client_id)</c>, where <c>list_rank</c> is the row's own: minus its revenue while it has revenue in the
/// window (the Pareto ranking: revenue descending, then id), and a value past every ranked one plus its id otherwise
/// (<see cref="Clients.ClientDirectoryWriter"/>). The state keeps the number of rows, which the search read as the largest
/// place. The directory is derived data: both tables are made again empty, and the next reader computes them.
/// </remarks>
internal static class DirectoryOrderMigration
{
    public static Migration Migration { get; } = new(34, "client directory ordered by a key of its own", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return "DROP TABLE client_directory";
        yield return "DROP TABLE client_directory_state";
        yield return d.Ddl("CREATE TABLE client_directory (client_id {bigint} NOT NULL PRIMARY KEY, display_name {text} NOT NULL, sort_name {key} NOT NULL, " +
            "manager {key} NULL, region {key} NULL, abc_class {key} NULL, list_rank {bigint} NOT NULL, revenue {bigint} NOT NULL, overdue {bigint} NOT NULL, " +
            "legal_entities {bigint} NOT NULL, branches {bigint} NOT NULL)");
        // Each filter has its index in the revenue order, as before; the id ends every key, so a page continues from
        // (list_rank, client_id).
        yield return "CREATE UNIQUE INDEX ux_client_directory_order ON client_directory (list_rank, client_id)";
        yield return "CREATE INDEX ix_client_directory_name ON client_directory (sort_name, client_id)";
        yield return "CREATE INDEX ix_client_directory_manager ON client_directory (manager, list_rank, client_id)";
        yield return "CREATE INDEX ix_client_directory_region ON client_directory (region, list_rank, client_id)";
        yield return "CREATE INDEX ix_client_directory_class ON client_directory (abc_class, list_rank, client_id)";
        yield return "CREATE INDEX ix_client_directory_class_name ON client_directory (abc_class, sort_name, client_id)";
        yield return d.Ddl("CREATE TABLE client_directory_state (id {bigint} NOT NULL PRIMARY KEY, stamp {key} NOT NULL, computed_at {key} NOT NULL, " +
            "clients {bigint} NOT NULL)");
    }
}

using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 7: tags plugins put on clients (such as <c>lifecycle.stage</c>), read by segments and the dossier.</summary>
/// <remarks>One value per (client, name); the plugin that wrote it last and when are kept beside it.</remarks>
internal static class ClientTagsMigration
{
    public static Migration Migration { get; } = new(7, "client tags", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE client_tags (client_id {bigint} NOT NULL, name {key} NOT NULL, value {text} NOT NULL, " +
            "plugin_id {key} NOT NULL, updated_at {key} NOT NULL, PRIMARY KEY (client_id, name))");
        yield return "CREATE INDEX ix_client_tags_name ON client_tags (name)";
    }
}

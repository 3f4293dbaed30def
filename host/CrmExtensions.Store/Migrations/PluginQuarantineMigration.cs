using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 26: the failures of plugins' worker calls and the plugins quarantined for failing too often.</summary>
/// <remarks>Written only by <see cref="Plugins.PluginQuarantine"/>.</remarks>
internal static class PluginQuarantineMigration
{
    public static Migration Migration { get; } = new(26, "plugin failures and quarantine", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE plugin_worker_failures ({id:id}, plugin_id {key} NOT NULL, failed_at {key} NOT NULL, call_name {text} NOT NULL, problem {text} NOT NULL)");
        yield return "CREATE INDEX ix_plugin_worker_failures_plugin ON plugin_worker_failures (plugin_id, failed_at)";
        yield return d.Ddl("CREATE TABLE plugin_quarantine (plugin_id {key} NOT NULL PRIMARY KEY, reason {text} NOT NULL, quarantined_at {key} NOT NULL)");
    }
}

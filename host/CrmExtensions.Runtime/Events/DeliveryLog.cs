using CrmExtensions.Store.Providers;

namespace CrmExtensions.Runtime.Events;

/// <summary>The SQL of event delivery: cursors per (plugin, handler), the event log, failures.</summary>
internal static class DeliveryLog
{
    internal const string EnsureCursorSql =
        "INSERT INTO plugin_deliveries (plugin_id, handler, last_seq, delivered, failed, updated_at) " +
        "SELECT @pluginId, @handler, 0, 0, 0, @now WHERE NOT EXISTS (SELECT 1 FROM plugin_deliveries WHERE plugin_id = @pluginId AND handler = @handler)";

    internal const string CursorsSql = "SELECT plugin_id AS PluginId, handler AS Handler, last_seq AS LastSeq FROM plugin_deliveries";

    internal const string EventsSelect =
        "SELECT seq AS Sequence, occurred_at AS OccurredAt, event_type AS Type, ledger AS Ledger, ledger_id AS LedgerId, data AS Data " +
        "FROM change_events WHERE seq > @after ORDER BY seq";

    /// <summary>Moves a cursor only from where this host saw it: another host that got there first makes this a no-op.</summary>
    internal const string AdvanceSql =
        "UPDATE plugin_deliveries SET last_seq = @seq, delivered = delivered + @delivered, failed = failed + @failed, updated_at = @now " +
        "WHERE plugin_id = @pluginId AND handler = @handler AND last_seq = @expected";

    internal const string FailureInsertSql =
        "INSERT INTO plugin_failures (plugin_id, call_name, seq, failure, message, occurred_at) VALUES (@pluginId, @call, @seq, @failure, @message, @now)";

    internal static string EventsSql(StoreDialect dialect, int batch) => dialect.Top(EventsSelect, batch);

    internal static IEnumerable<string> Statements(StoreDialect dialect) =>
        [EnsureCursorSql, CursorsSql, EventsSql(dialect, 500), AdvanceSql, FailureInsertSql];
}

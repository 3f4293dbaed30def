using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 3: what plugins write and what the runtime remembers about them.</summary>
/// <remarks>
/// <c>plugin_deliveries</c> holds, per (plugin, handler), the last event sequence delivered: it is updated in the same
/// transaction as the handler's writes, so a crash neither repeats nor loses an event's effects.
/// </remarks>
internal static class RuntimeMigration
{
    public static Migration Migration { get; } = new(3, "plugin deliveries and failures, plugin data, activities, deals, reminders, outbox", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE plugin_deliveries (plugin_id {key} NOT NULL, handler {key} NOT NULL, last_seq {bigint} NOT NULL, " +
            "delivered {bigint} NOT NULL, failed {bigint} NOT NULL, updated_at {key} NOT NULL, PRIMARY KEY (plugin_id, handler))");
        yield return d.Ddl("CREATE TABLE plugin_failures ({id:id}, plugin_id {key} NOT NULL, call_name {key} NOT NULL, seq {bigint} NULL, " +
            "failure {key} NOT NULL, message {text} NOT NULL, occurred_at {key} NOT NULL)");
        yield return "CREATE INDEX ix_plugin_failures_plugin ON plugin_failures (plugin_id, occurred_at)";
        yield return d.Ddl("CREATE TABLE plugin_data (plugin_id {key} NOT NULL, data_key {key} NOT NULL, value {text} NOT NULL, " +
            "updated_at {key} NOT NULL, PRIMARY KEY (plugin_id, data_key))");
        yield return d.Ddl("CREATE TABLE activities (activity_id {key} NOT NULL PRIMARY KEY, plugin_id {key} NOT NULL, kind {key} NOT NULL, " +
            "subject {text} NOT NULL, notes {text} NULL, ledger {key} NOT NULL, counterparty_id {key} NOT NULL, recorded_at {key} NOT NULL)");
        yield return "CREATE INDEX ix_activities_counterparty ON activities (ledger, counterparty_id)";
        yield return d.Ddl("CREATE TABLE deals (deal_id {key} NOT NULL PRIMARY KEY, plugin_id {key} NOT NULL, pipeline {key} NOT NULL, " +
            "stage {key} NOT NULL, title {text} NOT NULL, amount {bigint} NULL, ledger {key} NOT NULL, counterparty_id {key} NOT NULL, " +
            "created_at {key} NOT NULL, updated_at {key} NOT NULL)");
        yield return "CREATE INDEX ix_deals_counterparty ON deals (ledger, counterparty_id)";
        yield return d.Ddl("CREATE TABLE deal_moves ({id:id}, deal_id {key} NOT NULL, from_stage {key} NOT NULL, to_stage {key} NOT NULL, moved_at {key} NOT NULL)");
        yield return d.Ddl("CREATE TABLE reminders (plugin_id {key} NOT NULL, reminder_key {key} NOT NULL, title {text} NOT NULL, " +
            "due_on {key} NOT NULL, ledger {key} NULL, counterparty_id {key} NULL, created_at {key} NOT NULL, done_at {key} NULL, " +
            "PRIMARY KEY (plugin_id, reminder_key))");
        yield return "CREATE INDEX ix_reminders_due ON reminders (due_on)";
        yield return d.Ddl("CREATE TABLE outbox ({id:id}, business_key {key} NOT NULL UNIQUE, plugin_id {key} NOT NULL, template {key} NOT NULL, " +
            "to_address {key} NOT NULL, subject {text} NOT NULL, body {text} NOT NULL, status {key} NOT NULL, created_at {key} NOT NULL)");
    }
}

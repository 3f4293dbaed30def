using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 5: reminders get a life cycle (open, done, dismissed, cancelled), rules remember the last day they were evaluated, and hosts take leases on jobs.</summary>
/// <remarks>
/// Reminders from migration 3 become <c>done</c> when they had <c>done_at</c>, else <c>open</c>; their <c>rule_name</c> is unknown
/// (null), so rule evaluation never cancels them.
/// </remarks>
internal static class RemindersMigration
{
    public static Migration Migration { get; } = new(5, "reminder status, rule, client, manager and closing; reminder runs; leases", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        // SQL Server spells it ALTER TABLE t ADD c …, the others ALTER TABLE t ADD COLUMN c ….
        var add = d.Provider == DatabaseProvider.SqlServer ? "ALTER TABLE reminders ADD " : "ALTER TABLE reminders ADD COLUMN ";
        yield return d.Ddl(add + "status {key} NOT NULL DEFAULT 'open'");
        yield return d.Ddl(add + "rule_name {key} NULL");
        yield return d.Ddl(add + "kind {key} NOT NULL DEFAULT 'task'");
        yield return d.Ddl(add + "client_id {bigint} NULL");
        yield return d.Ddl(add + "manager {key} NULL");
        yield return d.Ddl(add + "notes {text} NULL");
        yield return d.Ddl(add + "mail_key {key} NULL");
        yield return d.Ddl(add + "rule_due_on {key} NULL");
        yield return d.Ddl(add + "updated_at {key} NULL");
        yield return d.Ddl(add + "closed_at {key} NULL");
        yield return d.Ddl(add + "closed_by {key} NULL");
        yield return d.Ddl(add + "note {text} NULL");
        yield return "UPDATE reminders SET status = 'done', closed_at = done_at WHERE done_at IS NOT NULL";
        yield return "CREATE INDEX ix_reminders_status_due ON reminders (status, due_on)";
        yield return "CREATE INDEX ix_reminders_manager_status ON reminders (manager, status)";
        yield return "CREATE INDEX ix_reminders_rule_status ON reminders (plugin_id, rule_name, status)";
        yield return d.Ddl("CREATE TABLE reminder_runs (plugin_id {key} NOT NULL, rule_name {key} NOT NULL, last_evaluated_on {key} NOT NULL, " +
            "last_run_at {key} NOT NULL, PRIMARY KEY (plugin_id, rule_name))");
        yield return d.Ddl("CREATE TABLE leases (name {key} NOT NULL PRIMARY KEY, owner {key} NOT NULL, expires_at {key} NOT NULL, acquired_at {key} NOT NULL)");
    }
}

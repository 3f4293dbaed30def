using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 6: the outbox becomes a dispatch queue with leases, retries and outcomes; the suppression list.</summary>
/// <remarks>
/// Columns are added, never changed, so rows the plugin runtime inserts with the migration 3 columns only stay valid:
/// they are transactional, due at once, and keep their text in <c>body</c>.
/// </remarks>
internal static class OutboxMigration
{
    public static Migration Migration { get; } = new(6, "outbox dispatch: category, bodies, leases, attempts, outcomes; mail suppressions", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        string[] columns =
        [
            "category {key} NULL",
            "source {key} NULL",
            "client_id {bigint} NULL",
            "to_name {text} NULL",
            "html_body {text} NULL",
            "text_body {text} NULL",
            "message_id {key} NULL",
            "attempts {bigint} NOT NULL DEFAULT 0",
            "next_attempt_at {key} NULL",
            "lease_owner {key} NULL",
            "lease_until {key} NULL",
            "data_started_at {key} NULL",
            "sent_at {key} NULL",
            "last_error {text} NULL",
            "server_response {text} NULL",
            "updated_at {key} NULL",
        ];
        foreach (var column in columns)
        {
            yield return d.Ddl("ALTER TABLE outbox ADD " + column);
        }

        // Claims take the oldest queued rows (ORDER BY id, due ones filtered on the way); recovery and release read the
        // few rows in 'sending'. (status, id) serves both without a sort: with (status, next_attempt_at) every claim
        // sorted all queued rows (measured: claiming 5,000 rows in batches of 50 took twice as long). No index on
        // lease_owner: every claim and outcome would rewrite one more entry.
        yield return "CREATE INDEX ix_outbox_claim ON outbox (status, id)";
        yield return "CREATE INDEX ix_outbox_client ON outbox (client_id)";
        yield return d.Ddl("CREATE TABLE mail_suppressions (address {key} NOT NULL PRIMARY KEY, client_id {bigint} NULL, " +
            "reason {key} NOT NULL, source {text} NULL, created_at {key} NOT NULL)");
        yield return "CREATE INDEX ix_mail_suppressions_client ON mail_suppressions (client_id)";
    }
}

using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 20: the web workspace's users and the Data Protection key ring that signs their cookies.</summary>
/// <remarks>
/// Users live in the store so that every <c>crmx serve</c> on one store knows the same people; the key ring lives there
/// so that a cookie issued by one web node is read by the others (no state in a node's memory or disk).
/// </remarks>
internal static class WebMigration
{
    public static Migration Migration { get; } = new(20, "web users and the data-protection key ring", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE web_users (normalized_name {key} NOT NULL PRIMARY KEY, user_name {text} NOT NULL, role {key} NOT NULL, " +
            "manager {text} NULL, password_hash {text} NOT NULL, security_stamp {key} NOT NULL, failed_count {bigint} NOT NULL, " +
            "locked_until {key} NULL, disabled_at {key} NULL, created_at {key} NOT NULL, updated_at {key} NOT NULL, last_sign_in_at {key} NULL)");
        // The card's timeline and "my day" read a client's closed and open reminders by client.
        yield return "CREATE INDEX ix_reminders_client ON reminders (client_id, status)";
        yield return d.Ddl("CREATE TABLE web_keys (name {key} NOT NULL PRIMARY KEY, xml {text} NOT NULL, created_at {key} NOT NULL)");
    }
}

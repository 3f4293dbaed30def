using Dapper;

namespace CrmExtensions.Store.Tests;

/// <summary>Two clients as unification would leave them: client 1 (head main:1, branch main:2, contact main:K1) and client 2 (main:3).</summary>
internal static class ClientFixtures
{
    public const string AcmeInn = "7707083893";

    public static void Seed(CrmStore store)
    {
        using var connection = store.Open();
        connection.Execute("""
            INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at)
            VALUES (1, 'Acme Trading', 2, 1, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                   (2, 'Beta Works', 1, 1, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
            """);
        connection.Execute("""
            INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, entity_name, tax_id, role)
            VALUES ('main', '2', 1, '7707083893', 'Acme Trading', '7707083893', 'branch'),
                   ('main', '1', 1, '7707083893', 'Acme Trading', '7707083893', 'head'),
                   ('main', '3', 2, '7736050003', 'Beta Works', '7736050003', 'head')
            """);
        connection.Execute("""
            INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, row_hash, first_seen_at, synced_at)
            VALUES ('main', 'K1', '2', 'Ivan Ivanov', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
            """);
    }
}

/// <summary>A clock that stands still unless moved.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 4: the contact log and deals on clients; moves remember who made them, and refused moves are kept.</summary>
/// <remarks>
/// Extends the tables of migration 3 (installed stores have rows in them): every new column is nullable, and rows
/// written before it read as "no client, no manager". <c>import_key</c> is a hash of a normalised CSV row, unique where
/// present, so importing a file twice adds nothing. <c>number</c> is the short number people type for a deal.
/// </remarks>
internal static class ContactLogMigration
{
    public static Migration Migration { get; } = new(4, "contact log and deals: clients, managers, owners, stage history with refusals", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        foreach (var column in new[]
        {
            "client_id {bigint}", "contact {key}", "deal_id {key}", "manager {key}", "channel {key}", "direction {key}", "outcome {text}",
            "occurred_at {key}", "source {key}", "import_line {bigint}", "import_key {key}",
        })
        {
            yield return d.Ddl($"ALTER TABLE activities ADD {column} NULL");
        }

        // Rows plugins wrote before: when they happened is when they were recorded; their client is their counterparty's.
        yield return "UPDATE activities SET occurred_at = recorded_at, source = plugin_id, client_id = " +
            "(SELECT m.client_id FROM client_members m WHERE m.ledger = activities.ledger AND m.ledger_id = activities.counterparty_id)";
        yield return "CREATE INDEX ix_activities_client ON activities (client_id, occurred_at)";
        yield return "CREATE INDEX ix_activities_occurred ON activities (occurred_at)";
        yield return "CREATE UNIQUE INDEX ux_activities_import ON activities (import_key) WHERE import_key IS NOT NULL";

        foreach (var column in new[]
        {
            "number {bigint}", "client_id {bigint}", "owner {key}", "expected_close {key}", "currency {key}", "closed_at {key}", "outcome {key}",
        })
        {
            yield return d.Ddl($"ALTER TABLE deals ADD {column} NULL");
        }

        yield return "UPDATE deals SET client_id = " +
            "(SELECT m.client_id FROM client_members m WHERE m.ledger = deals.ledger AND m.ledger_id = deals.counterparty_id)";
        yield return "CREATE UNIQUE INDEX ux_deals_number ON deals (number) WHERE number IS NOT NULL";
        yield return "CREATE INDEX ix_deals_client ON deals (client_id)";

        // Clients are named by INN on the command line and in imported files: without it every INN scans all members.
        yield return "CREATE INDEX ix_client_members_tax_id ON client_members (tax_id)";

        foreach (var column in new[] { "moved_by {key}", "refused {bigint}", "guard {key}", "reason {text}" })
        {
            yield return d.Ddl($"ALTER TABLE deal_moves ADD {column} NULL");
        }

        yield return "CREATE INDEX ix_deal_moves_deal ON deal_moves (deal_id, id)";
    }
}

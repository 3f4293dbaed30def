using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 9: each mirrored invoice and payment carries its counterparty's current client and legal entity.</summary>
/// <remarks>
/// Sync writes the two columns with every row it writes (from <c>client_members</c>), and unification rewrites them for the
/// rows of the counterparties whose membership it changed; so reports, facts, segments and the dossier group by
/// <c>client_id</c> instead of looking every invoice's client up at question time. NULL while a counterparty is in no client.
/// </remarks>
internal static class ClientKeyedMoneyMigration
{
    public static Migration Migration { get; } = new(9, "client and legal entity on mirrored invoices and payments", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        foreach (var table in new[] { "mirror_invoices", "mirror_payments" })
        {
            yield return d.Ddl($"ALTER TABLE {table} ADD client_id {{bigint}} NULL");
            yield return d.Ddl($"ALTER TABLE {table} ADD legal_entity {{key}} NULL");
            // The backfill of a store made before this migration; later, sync and unification keep the columns.
            yield return $"UPDATE {table} SET " +
                $"client_id = (SELECT m.client_id FROM client_members m WHERE m.ledger = {table}.ledger AND m.ledger_id = {table}.counterparty_id), " +
                $"legal_entity = (SELECT m.legal_entity FROM client_members m WHERE m.ledger = {table}.ledger AND m.ledger_id = {table}.counterparty_id)";
        }

        // Revenue by range per client (pareto, managers, dynamics, the directory); the ledger columns serve the ranking of
        // raw counterparties beside it, so one index replaces migration 8's.
        yield return "DROP INDEX " + DropIndex(d, "ix_mirror_invoices_issued", "mirror_invoices");
        yield return "CREATE INDEX ix_mirror_invoices_issued_client ON mirror_invoices (issued_on, client_id, amount, vanished_at, ledger, counterparty_id)";
        // Receivables per client: open invoices are those not settled, first in the index.
        yield return "DROP INDEX " + DropIndex(d, "ix_mirror_invoices_open", "mirror_invoices");
        yield return "CREATE INDEX ix_mirror_invoices_open_client ON mirror_invoices (settled_on, client_id, issued_on, due_on, amount, paid_amount, vanished_at, ledger, counterparty_id)";
        // One client's money (dossier, mail model, facts): by client, then by day.
        yield return "CREATE INDEX ix_mirror_invoices_client ON mirror_invoices (client_id, issued_on, amount, vanished_at)";
        yield return "CREATE INDEX ix_mirror_payments_client ON mirror_payments (client_id, paid_on, amount, vanished_at)";
    }

    internal static string DropIndex(StoreDialect d, string index, string table) =>
        d.Provider == DatabaseProvider.SqlServer ? $"{index} ON {table}" : index;
}

using System.Data.Common;

namespace CrmExtensions.Testing;

/// <summary>For tests that seed the store's mirror and membership by hand: gives every mirrored invoice and payment its
/// counterparty's client and legal entity, as sync and unification keep them (store migration 9).</summary>
public static class ClientKeyedMoney
{
    /// <summary>Sets <c>client_id</c> and <c>legal_entity</c> of every row of <c>mirror_invoices</c> and <c>mirror_payments</c> from <c>client_members</c>.</summary>
    public static void Assign(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        foreach (var table in new[] { "mirror_invoices", "mirror_payments" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE {table} SET " +
                $"client_id = (SELECT m.client_id FROM client_members m WHERE m.ledger = {table}.ledger AND m.ledger_id = {table}.counterparty_id), " +
                $"legal_entity = (SELECT m.legal_entity FROM client_members m WHERE m.ledger = {table}.ledger AND m.ledger_id = {table}.counterparty_id)";
            command.ExecuteNonQuery();
        }
    }
}

using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 27: the ledgers' exchange rates, and every mirrored invoice and payment's amounts in the base currency.</summary>
/// <remarks>
/// <c>base_amount</c> (and an invoice's <c>base_paid_amount</c>) is what every total sums; NULL while a row in another
/// currency has no rate (see <see cref="MoneyConversion"/>). The rows a store already holds without a currency are in the
/// base currency and get theirs here; the others are converted by the next sync of their ledger.
/// </remarks>
internal static class CurrencyMigration
{
    /// <summary>The index of invoices by client, for the statements that read through it.</summary>
    public const string ClientIndex = "ix_mirror_invoices_client";

    /// <summary>The partial index of the rows of a mirror table (<c>mirror_invoices</c>, <c>mirror_payments</c>) not converted.</summary>
    public static string UnconvertedIndex(string table) => "ix_" + table + "_unconverted";

    public static Migration Migration { get; } = new(27, "exchange rates, amounts in the base currency", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return StoreMigrations.MirrorTable(d, MirrorSchema.Rates);
        yield return "CREATE INDEX ix_mirror_rates_currency ON mirror_rates (ledger, currency, rate_on)";

        yield return d.Ddl("ALTER TABLE mirror_invoices ADD base_amount {bigint} NULL");
        yield return d.Ddl("ALTER TABLE mirror_invoices ADD base_paid_amount {bigint} NULL");
        yield return d.Ddl("ALTER TABLE mirror_payments ADD base_amount {bigint} NULL");
        yield return "UPDATE mirror_invoices SET base_amount = amount, base_paid_amount = paid_amount WHERE currency IS NULL";
        yield return "UPDATE mirror_payments SET base_amount = amount WHERE currency IS NULL";

        // The covering indexes of migration 9 again, with the base amounts the readers now sum.
        yield return "DROP INDEX " + ClientKeyedMoneyMigration.DropIndex(d, "ix_mirror_invoices_issued_client", "mirror_invoices");
        yield return "CREATE INDEX ix_mirror_invoices_issued_client ON mirror_invoices (issued_on, client_id, base_amount, vanished_at, ledger, counterparty_id)";
        yield return "DROP INDEX " + ClientKeyedMoneyMigration.DropIndex(d, "ix_mirror_invoices_open_client", "mirror_invoices");
        yield return "CREATE INDEX ix_mirror_invoices_open_client ON mirror_invoices " +
            "(settled_on, client_id, issued_on, due_on, amount, paid_amount, base_amount, base_paid_amount, vanished_at, ledger, counterparty_id)";
        yield return "DROP INDEX " + ClientKeyedMoneyMigration.DropIndex(d, "ix_mirror_invoices_client", "mirror_invoices");
        yield return "CREATE INDEX ix_mirror_invoices_client ON mirror_invoices (client_id, issued_on, base_amount, vanished_at)";
        yield return "DROP INDEX " + ClientKeyedMoneyMigration.DropIndex(d, "ix_mirror_payments_client", "mirror_payments");
        yield return "CREATE INDEX ix_mirror_payments_client ON mirror_payments (client_id, paid_on, base_amount, vanished_at)";

        // The rows not converted (no rate for their currency yet): few, and what the conversion pass and the readers'
        // "not converted" totals look for, so a partial index keeps both from reading the whole mirror.
        yield return "CREATE INDEX ix_mirror_invoices_unconverted ON mirror_invoices (ledger, issued_on, currency, client_id) WHERE base_amount IS NULL";
        yield return "CREATE INDEX ix_mirror_payments_unconverted ON mirror_payments (ledger, paid_on, currency, client_id) WHERE base_amount IS NULL";
    }
}

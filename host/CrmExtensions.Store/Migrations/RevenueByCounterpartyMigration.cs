namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 30: the index of invoices by counterparty covers what revenue reads, so a report groups a year's
/// invoices per counterparty (and from those per client) in one pass in the index's order, without sorting them.</summary>
/// <remarks>It replaces the index of migration 1 on <c>(ledger, counterparty_id)</c>, which it still serves as a prefix.</remarks>
internal static class RevenueByCounterpartyMigration
{
    /// <summary>The index's name, for the statements that read through it.</summary>
    public const string Index = "ix_mirror_invoices_counterparty";

    public static Migration Migration { get; } = new(30, "invoices by counterparty with their revenue", d =>
    [
        "DROP INDEX " + ClientKeyedMoneyMigration.DropIndex(d, Index, "mirror_invoices"),
        $"CREATE INDEX {Index} ON mirror_invoices (ledger, counterparty_id, issued_on, base_amount, vanished_at, client_id)",
    ]);
}

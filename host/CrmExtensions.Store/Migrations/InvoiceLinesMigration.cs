using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 22: what was sold — the mirror of the ledgers' invoice lines and product catalogues.</summary>
/// <remarks>
/// Mirror tables like the first four, synced the same way (by watermark or by hash, vanished rows kept and marked). A line
/// finds its client through its invoice (<c>mirror_invoices</c>, which carries <c>client_id</c>), so unification never
/// rewrites lines; the indexes serve that join and the questions asked per product.
/// </remarks>
internal static class InvoiceLinesMigration
{
    public static Migration Migration { get; } = new(22, "what was sold: mirrored invoice lines and products", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return StoreMigrations.MirrorTable(d, MirrorSchema.Products);
        yield return StoreMigrations.MirrorTable(d, MirrorSchema.InvoiceLines);
        yield return "CREATE INDEX ix_mirror_invoice_lines_invoice ON mirror_invoice_lines (ledger, invoice_id)";
        yield return "CREATE INDEX ix_mirror_invoice_lines_product ON mirror_invoice_lines (product_id, ledger)";
    }
}

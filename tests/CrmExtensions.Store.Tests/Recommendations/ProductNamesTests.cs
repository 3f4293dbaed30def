using CrmExtensions.Store.Recommendations;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Recommendations;

/// <summary>The names products are shown with: the catalogue's, else the invoice lines', else the key, on every provider.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ProductNamesTests(DatabaseProvider provider) : StoreFixture(provider)
{
    [SetUp]
    public void Seed()
    {
        using var connection = Store.Open();
        // PMP is in the catalogue and its lines call it otherwise; FLT is only on lines, under two spellings; a vanished
        // catalogue row names nothing; in 'spb' PMP has no catalogue row.
        connection.Execute("INSERT INTO mirror_products (ledger, ledger_id, name, vanished_at, row_hash, first_seen_at, synced_at) VALUES " +
            "('msk', 'PMP', 'Насос центробежный', NULL, 0, 'x', 'x'), ('msk', 'OLD', 'Снятый товар', 'x', 0, 'x', 'x')");
        connection.Execute("INSERT INTO mirror_invoice_lines (ledger, ledger_id, invoice_id, product_id, amount, product_name, row_hash, first_seen_at, synced_at) VALUES " +
            "('msk', 'L1', 'I1', 'PMP', 10000, 'насос (стар.)', 1, 'x', 'x'), ('msk', 'L2', 'I1', 'FLT', 10000, 'Фильтр А', 2, 'x', 'x'), " +
            "('msk', 'L3', 'I2', 'FLT', 10000, 'Фильтр Б', 3, 'x', 'x'), ('spb', 'L4', 'I3', 'PMP', 10000, 'Насос (СПб)', 4, 'x', 'x'), " +
            "('msk', 'L5', 'I3', 'OLD', 10000, NULL, 5, 'x', 'x')");
    }

    [Test]
    public void Names_OneProductAcrossLedgers_CatalogueFirstThenTheGreatestLineNameThenTheKey()
    {
        var names = Names(new RecommendationOptions(), "PMP", "FLT", "OLD", "NONE");

        Assert.That(names, Is.EqualTo(new Dictionary<string, string>
        {
            ["PMP"] = "Насос центробежный",
            ["FLT"] = "Фильтр Б",
            ["OLD"] = "OLD",
            ["NONE"] = "NONE",
        }));
    }

    [Test]
    public void Names_ProductsPerLedger_ALedgerWithoutACatalogueRowTakesItsOwnLines()
    {
        var options = new RecommendationOptions(ProductsPerLedger: true);
        var (msk, spb) = (options.Key("msk", "PMP"), options.Key("spb", "PMP"));

        var names = Names(options, msk, spb);

        Assert.That((names[msk], names[spb]), Is.EqualTo(("Насос центробежный", "Насос (СПб)")));
    }

    private Dictionary<string, string> Names(RecommendationOptions options, params string[] keys)
    {
        using var connection = Store.Open();
        return RecommendationWriter.Names(Store.Dialect, connection, null, keys, options)
            .Where(n => keys.Contains(n.Key)).ToDictionary(n => n.Key, n => n.Value);
    }
}

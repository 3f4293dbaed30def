using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Store.Deals;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Runtime.Tests.Pipelines;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed partial class StageGuardsTests(DatabaseProvider provider)
{
    private const string Stamp = "2026-01-01T00:00:00.000Z";

    private static void Seed(TestStore store)
    {
        using var connection = store.Store.Open();
        connection.Execute($"""
            INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at)
            VALUES (1, 'Acme Trading', 2, 1, 1, '{Stamp}', '{Stamp}')
            """);
        connection.Execute("""
            INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, tax_id, role)
            VALUES ('main', '1', 1, '7707083893', '7707083893', 'head'), ('spb', '7', 1, '7707083893', '7707083893', 'branch')
            """);
        connection.Execute($"""
            INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, number, issued_on, due_on, amount, base_amount, row_hash, first_seen_at, synced_at)
            VALUES ('spb', 'I9', '7', 'SPB-9', '2020-01-01', '2020-02-01', 10000000, 10000000, 0, '{Stamp}', '{Stamp}')
            """);
        ClientKeyedMoney.Assign(connection);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task CheckMoveAsync_OverdueInvoiceOnABranch_RefusedUntilItIsSettled(bool inWorkers)
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        Seed(store);
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "GuardPlugin"), store.Store, inWorkers ? Workers.Options() : null);
        var row = new DealStore(store.Store).Open(new DealEntry
        {
            PluginId = "Test.Guard", Pipeline = "sales", Stage = "lead", Title = "pumps", ClientId = 1, Ledger = "main", CounterpartyId = "1",
            Owner = "Petrov", ExpectedClose = new DateOnly(2026, 12, 31),
        });

        var deal = (await runtime.GetDealAsync(row.Id))!;
        var refused = await runtime.CheckMoveAsync(deal, new StageMove("lead", "offer"));
        store.Scalar<long>("UPDATE mirror_invoices SET settled_on = '2026-03-01' WHERE ledger_id = 'I9'");
        var allowed = await runtime.CheckMoveAsync(deal, new StageMove("lead", "offer"));

        Assert.That((deal.ClientId, deal.Owner, deal.ExpectedClose), Is.EqualTo(("1", "Petrov", (DateOnly?)new DateOnly(2026, 12, 31))));
        Assert.That(refused.Select(r => (r.Source, r.Reason, r.Failed)), Is.EqualTo(new[]
        {
            ("Test.Guard/OverdueGuard", "invoice SPB-9 of spb/7 (Branch) was due 2020-02-01; 1000.00 unpaid", false),
        }));
        Assert.That(allowed, Is.Empty);
    }

    [Test]
    public async Task Pipelines_GuardPlugin_NameTheirPluginMovesAndOutcomes()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);

        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "GuardPlugin"), store.Store);

        var sales = runtime.Pipelines.Single();
        Assert.That((sales.PluginId, sales.Name), Is.EqualTo(("Test.Guard", "sales")));
        Assert.That(sales.NextStages("offer"), Is.EqualTo(new[] { "invoiced", "lost" }));
        Assert.That(sales.Allows(new StageMove("lead", "won")), Is.False);
        Assert.That((sales.Outcome("won"), sales.Outcome("lost"), sales.Outcome("offer")), Is.EqualTo(("won", "lost", (string?)null)));
    }
}

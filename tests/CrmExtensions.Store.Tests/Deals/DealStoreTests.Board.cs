using CrmExtensions.Store.Deals;
using Dapper;

namespace CrmExtensions.Store.Tests.Deals;

public sealed partial class DealStoreTests
{
    [Test]
    public void List_ByPipelineAndClientManager_OnlyThoseDealsAndEveryOwnerOnce()
    {
        using (var connection = _store.Open())
        {
            // The head office of Acme is Petrov's; Beta is Sidorova's.
            connection.Execute("INSERT INTO mirror_counterparties (ledger, ledger_id, name, manager, row_hash, first_seen_at, synced_at) " +
                "VALUES ('main', '1', 'Acme', 'Petrov P.', 0, 'x', 'x'), ('main', '2', 'Acme branch', 'Zaitsev Z.', 0, 'x', 'x'), ('main', '3', 'Beta', 'Sidorova A.', 0, 'x', 'x')");
        }

        Open("pumps");
        Open("valves", client: 2);
        _deals.Open(new DealEntry
        {
            PluginId = "Other.Plugin", Pipeline = "service", Stage = "new", Title = "repair", ClientId = 1, Ledger = "main", CounterpartyId = "1", Owner = "Sidorova",
        });

        Assert.That(Titles(new DealFilter { ClientManager = "Petrov P." }), Is.EquivalentTo(new[] { "pumps", "repair" }), "the head's manager is the client's");
        Assert.That(Titles(new DealFilter { ClientManager = "Zaitsev Z." }), Is.Empty, "a branch's manager is not, while the head has one");
        Assert.That(Titles(new DealFilter { PluginId = "Test.Guard", Pipeline = "sales" }), Is.EquivalentTo(new[] { "pumps", "valves" }));
        Assert.That(Titles(new DealFilter { PluginId = "Other.Plugin", Pipeline = "sales" }), Is.Empty, "a pipeline is its plugin's");
        Assert.That(Titles(new DealFilter { PluginId = "Test.Guard", Pipeline = "sales", ClientManager = "Sidorova A." }), Is.EqualTo(new[] { "valves" }));
        Assert.That(_deals.Owners(), Is.EqualTo(new[] { "Petrov", "Sidorova" }));
        Assert.That(_deals.Owners("Sidorova A."), Is.EqualTo(new[] { "Petrov" }), "only the owners of deals on that manager's clients");
    }

    private IEnumerable<string> Titles(DealFilter filter) => _deals.List(filter).Select(d => d.Title);
}

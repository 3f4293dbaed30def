using CrmExtensions.Store.Deals;
using Dapper;

namespace CrmExtensions.Store.Tests.Deals;

/// <summary>Deal numbers stay unique and consecutive whoever opens deals at once: people through the store, plugins
/// through the runtime's unit of writes — both through <see cref="DealWriter"/>.</summary>
public sealed partial class DealStoreTests
{
    private static DealInsert PluginDeal(string id) =>
        new(id, "Test.Guard", "sales", "lead", "deal " + id, null, null, ClientId: null, null, null, "main", "3", "2026-11-24T09:00:00.000Z");

    [Test]
    public void Open_ByAPluginWithoutClient_TakesTheCounterpartysClientAndTheNextNumber()
    {
        Open("pumps");
        using (var connection = _store.Open())
        using (var unit = connection.BeginTransaction())
        {
            new DealWriter(connection, unit, _store.Dialect).Open(PluginDeal("plugin-deal"));
            unit.Commit();
        }

        var deal = _deals.Get("plugin-deal")!;

        Assert.That((deal.Number, deal.ClientId, deal.ClientName), Is.EqualTo(((long?)2, (long?)2, "Beta Works")));
    }

    [Test]
    public void Open_WhileAPluginUnitHoldsAnUncommittedDeal_WaitsAndTakesTheNextNumber()
    {
        Task<DealRow> person;
        using (var connection = _store.Open())
        using (var unit = connection.BeginTransaction())
        {
            new DealWriter(connection, unit, _store.Dialect).Open(PluginDeal("plugin-deal"));
            person = Task.Run(() => Open("typed by a person"));
            // Long enough for the person's deal to reach the numbering: it must wait for the plugin's unit, not take its number.
            Thread.Sleep(300);
            Assert.That(person.IsCompleted, Is.False);
            unit.Commit();
        }

        Assert.That(person.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That((_deals.Get("plugin-deal")!.Number, person.Result.Number), Is.EqualTo(((long?)1, (long?)2)));
    }

    [Test]
    public void Open_FromManyConnectionsAtOnce_NumbersAreDistinctAndConsecutive()
    {
        Parallel.For(0, 24, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i => Open("deal " + i));

        using var connection = _store.Open();
        Assert.That(connection.Query<long>("SELECT number FROM deals ORDER BY number"), Is.EqualTo(Enumerable.Range(1, 24).Select(n => (long)n)));
    }
}

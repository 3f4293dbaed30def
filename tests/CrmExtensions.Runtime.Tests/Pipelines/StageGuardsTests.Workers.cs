using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Store.Deals;
using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests.Pipelines;

/// <summary>Guards in the plugin's warm worker (process isolation): the same answers as in process; a worker that exits or
/// overruns refuses, naming the plugin, and the next move is answered by a new worker; concurrent moves take turns.</summary>
public sealed partial class StageGuardsTests
{
    [Test]
    public async Task CheckMoveAsync_GuardThrowsInItsWorker_RefusesAsInProcess()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        Seed(store);
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "GuardPlugin"), store.Store, Workers.Options());
        var deal = (await runtime.GetDealAsync(OpenDeal(store, "boom")))!;

        var refused = await runtime.CheckMoveAsync(deal, new StageMove("lead", "lost"));

        Assert.That(refused.Select(r => (r.Source, r.Reason, r.Failed)), Is.EqualTo(new[]
        {
            ("Test.Guard/FussyGuard", "guard failed: plugin 'Test.Guard': stage guard FussyGuard threw InvalidOperationException: the guard broke on boom", true),
        }));
    }

    [TestCase("exit", "guard failed: plugin 'Test.Guard': stage guards ended its worker: the worker exited with code 42")]
    [TestCase("busy", "guard failed: plugin 'Test.Guard': stage guard FussyGuard did not finish within its time budget of 3 s; abandoned. The worker was ended.")]
    public async Task CheckMoveAsync_GuardEndsOrOverrunsItsWorker_RefusesNamingThePluginAndTheNextMoveIsAnswered(string failure, string reason)
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        Seed(store);
        // The budget also holds the next move, the first call of a new worker, which compiles its way through the guards: on a
        // loaded machine that has taken over a second.
        var options = Workers.Options(callBudget: TimeSpan.FromSeconds(3)).With("Test.Guard", "failure", failure);
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "GuardPlugin"), store.Store, options);
        var crash = (await runtime.GetDealAsync(OpenDeal(store, "crash")))!;
        var calm = (await runtime.GetDealAsync(OpenDeal(store, "pumps")))!;

        var refused = await runtime.CheckMoveAsync(crash, new StageMove("lead", "lost"));
        var next = await runtime.CheckMoveAsync(calm, new StageMove("lead", "offer"));

        // Which guard took the worker down cannot be told from outside it: each guard of the plugin refuses with the failure.
        Assert.That(refused.Select(r => r.Source), Is.EquivalentTo(new[] { "Test.Guard/OverdueGuard", "Test.Guard/FussyGuard" }));
        Assert.That(refused.Select(r => (r.Failed, r.Reason.Split("; last output:")[0].TrimEnd('.'))).Distinct(),
            Is.EqualTo(new[] { (true, reason.TrimEnd('.')) }));
        Assert.That(next.Select(r => r.Source), Is.EqualTo(new[] { "Test.Guard/OverdueGuard" }), "a new worker answered the next move");
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM plugin_worker_failures WHERE plugin_id = 'Test.Guard'"), Is.EqualTo(1));
    }

    [Test]
    public async Task CheckMoveAsync_ConcurrentMovesInOneWorker_EachGetsItsOwnAnswer()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        Seed(store);
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "GuardPlugin"), store.Store, Workers.Options());
        var owing = (await runtime.GetDealAsync(OpenDeal(store, "pumps")))!;
        var broken = (await runtime.GetDealAsync(OpenDeal(store, "boom")))!;

        // As the web asks: several requests at once. The worker serves one at a time; none gets another's answer.
        var checks = Enumerable.Range(0, 12).Select(i => i % 2 == 0
            ? runtime.CheckMoveAsync(owing, new StageMove("lead", "offer"))
            : runtime.CheckMoveAsync(broken, new StageMove("lead", "lost"))).ToList();
        var answers = await Task.WhenAll(checks);

        for (var i = 0; i < answers.Length; i++)
        {
            Assert.That(answers[i].Select(r => r.Source), Is.EqualTo(new[] { i % 2 == 0 ? "Test.Guard/OverdueGuard" : "Test.Guard/FussyGuard" }), $"check {i}");
        }
    }

    private static string OpenDeal(TestStore store, string title) => new DealStore(store.Store).Open(new DealEntry
    {
        PluginId = "Test.Guard", Pipeline = "sales", Stage = "lead", Title = title, ClientId = 1, Ledger = "main", CounterpartyId = "1",
        Owner = "Petrov", ExpectedClose = new DateOnly(2026, 12, 31),
    }).Id;
}

using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests.Events;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed partial class EventDispatcherTests(DatabaseProvider provider)
{
    private static readonly PluginRuntimeOptions FastBudget = new() { CallBudget = TimeSpan.FromMilliseconds(300), MaxConsecutiveTimeouts = 2 };

    /// <summary>The runtime's options in process (null: the defaults, or <paramref name="inProcess"/>) or in workers with the same budgets.</summary>
    private static PluginRuntimeOptions? Isolation(bool inWorkers, PluginRuntimeOptions? inProcess = null) =>
        inWorkers ? Workers.Options(inProcess?.CallBudget, inProcess?.MaxConsecutiveTimeouts ?? 3) : inProcess;

    [TestCase(false)]
    [TestCase(true)]
    public async Task DispatchAsync_GoodPlugin_DeliversEveryEventOnceInOrder(bool inWorkers)
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        store.AddEvents(5);
        store.AddEvents(2, "invoice.created");
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "Good"), store.Store, Isolation(inWorkers));

        var summary = await runtime.DispatchAsync();

        // The invoice handler opens and moves a deal per new invoice: deal.opened and deal.moved (SDK 1.2), which the
        // handler of every event hears in the same dispatch, after the seven.
        Assert.That(summary.Problems, Is.Empty);
        Assert.That(store.Query<string>("SELECT event_type FROM change_events WHERE seq > 7 ORDER BY seq"),
            Is.EqualTo(new[] { "deal.opened", "deal.moved", "deal.opened", "deal.moved" }));
        Assert.That(summary.Events, Is.EqualTo(11));
        Assert.That(summary.Deliveries, Is.EqualTo(13), "11 to SeenHandler, 2 to InvoiceHandler");
        Assert.That(store.Query<string>("SELECT subject FROM activities WHERE kind = 'seen'"), Is.EquivalentTo(Enumerable.Range(1, 11).Select(i => "seen " + i)));
        Assert.That(store.Scalar<string>("SELECT value FROM plugin_data WHERE plugin_id = 'Test.Good' AND data_key = 'order'"), Is.EqualTo("1,2,3,4,5,6,7,8,9,10,11"));
        Assert.That(store.Query<string>("SELECT stage FROM deals"), Is.EqualTo(new[] { "qualified", "qualified" }));
        Assert.That(store.Scalar<string>("SELECT value FROM plugin_data WHERE plugin_id = 'Test.Good' AND data_key = 'last-invoice'"), Is.EqualTo("C1"));
    }

    [Test]
    public async Task DispatchAsync_Again_DeliversOnlyNewEvents()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        var plugins = TestPlugins.Install(root, "Good");
        store.AddEvents(3);
        using (var first = await PluginRuntime.LoadAsync(plugins, store.Store))
        {
            await first.DispatchAsync();
        }

        store.AddEvents(2);
        using var second = await PluginRuntime.LoadAsync(plugins, store.Store);
        var summary = await second.DispatchAsync();
        var again = await second.DispatchAsync();

        Assert.That(summary.Deliveries, Is.EqualTo(2));
        Assert.That(again.Deliveries, Is.Zero);
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM activities WHERE kind = 'seen'"), Is.EqualTo(5));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task DispatchAsync_HandlerThrows_ItsWritesAreDroppedTheFailureRecordedAndOthersStillRun(bool inWorkers)
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        store.AddEvents(3);
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "ThrowsInHandler", "Good"), store.Store, Isolation(inWorkers));

        var summary = await runtime.DispatchAsync();

        Assert.That(summary.Failures, Is.EqualTo(3));
        Assert.That(summary.Problems, Has.All.StartsWith("plugin 'Test.ThrowsInHandler': handler Thrower on event #").And.All.Contains("boom in handler"));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM activities WHERE kind = 'before-throw'"), Is.Zero);
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM activities WHERE kind = 'seen'"), Is.EqualTo(3));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM plugin_failures WHERE plugin_id = 'Test.ThrowsInHandler' AND failure = 'exception'"), Is.EqualTo(3));
        Assert.That(store.Scalar<long>("SELECT last_seq FROM plugin_deliveries WHERE plugin_id = 'Test.ThrowsInHandler'"), Is.EqualTo(3), "a failed event is not retried forever");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task DispatchAsync_HandlerNeverReturns_TimesOutAndOthersStillRun(bool inWorkers)
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        store.AddEvents(4);
        // A fresh worker's first call pays its loading and compiling: more than 0.3 s on a busy machine.
        var budget = inWorkers ? new PluginRuntimeOptions { CallBudget = TimeSpan.FromSeconds(2), MaxConsecutiveTimeouts = 2 } : FastBudget;
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "Hangs", "Good"), store.Store, Isolation(inWorkers, budget));

        var summary = await runtime.DispatchAsync();

        // In a worker the overrun also ends the worker (its abandoned call would hold a thread), which the problem says.
        Assert.That(summary.Problems, Has.Count.EqualTo(2));
        Assert.That(summary.Problems[0], Is.EqualTo("plugin 'Test.Hangs': handler Hanger on event #1 (counterparty.created) did not finish within its time budget of "
            + (inWorkers ? "2 s; abandoned. The worker was ended." : "0.3 s; abandoned.")));
        Assert.That(store.Scalar<string>("SELECT failure FROM plugin_failures WHERE plugin_id = 'Test.Hangs'"), Is.EqualTo("timeout"));
        Assert.That(summary.Problems[1], Does.EndWith("It timed out 2 times in a row and gets no more events in this run."));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM activities WHERE kind = 'seen'"), Is.EqualTo(4));
        Assert.That(store.Scalar<long>("SELECT last_seq FROM plugin_deliveries WHERE plugin_id = 'Test.Hangs'"), Is.EqualTo(1),
            "the event it gave up on stays pending for the next run");
    }

    [Test]
    public async Task DispatchAsync_PluginsOnDifferentNewtonsoftMajors_EachRunsWithItsOwn()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        store.AddEvents(1, "invoice.paid");
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "JsonOld", "JsonNew"), store.Store);

        var summary = await runtime.DispatchAsync();

        Assert.That(summary.Problems, Is.Empty);
        var data = store.Query<(string Plugin, string Key, string Value)>("SELECT plugin_id, data_key, value FROM plugin_data ORDER BY plugin_id, data_key");
        Assert.That(data, Is.EqualTo(new[]
        {
            ("Test.JsonNew", "event", "{\"Sequence\":1,\"Type\":\"invoice.paid\"}"),
            ("Test.JsonNew", "newtonsoft", "13.0.0.0"),
            ("Test.JsonOld", "event", "{\"Sequence\":1,\"Type\":\"invoice.paid\"}"),
            ("Test.JsonOld", "newtonsoft", "12.0.0.0"),
        }));
    }
}

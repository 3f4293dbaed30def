using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests.Events;

/// <summary>Handlers in their plugins' workers: a worker that ends mid-handler leaves nothing written and the cursor where
/// it was; the next dispatch delivers the event again.</summary>
public sealed partial class EventDispatcherTests
{
    [Test]
    public async Task DispatchAsync_WorkerEndsMidHandler_CursorStaysAndTheNextDispatchDeliversAgain()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        store.AddEvents(3);
        var marker = Path.Combine(root.Path, "exited.txt");
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "ThrowsInHandler", "Good"), store.Store,
            Workers.Options().With("Test.ThrowsInHandler", "exitOnce", marker));

        var first = await runtime.DispatchAsync();
        var cursorAfterCrash = store.Scalar<long>("SELECT last_seq FROM plugin_deliveries WHERE plugin_id = 'Test.ThrowsInHandler'");
        var second = await runtime.DispatchAsync();

        Assert.That(File.ReadAllText(marker), Is.EqualTo("1"), "the worker ended on the first event");
        Assert.That(first.Problems, Is.EqualTo(new[]
        {
            "plugin 'Test.ThrowsInHandler': handler Thrower on event #1 (counterparty.created) ended its worker: the worker exited with code 42. " +
            "The event is delivered again by the next dispatch.",
        }));
        Assert.That(cursorAfterCrash, Is.Zero, "the cursor stays before the event the worker died on");
        Assert.That(second.Problems, Has.Count.EqualTo(3).And.All.Contains("boom in handler"), "delivered again: each event once more, to a new worker");
        Assert.That(second.Problems[0], Does.Contain("on event #1 "));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM activities WHERE kind = 'before-throw'"), Is.Zero, "nothing of the killed call was written");
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM activities WHERE kind = 'seen'"), Is.EqualTo(3), "the other plugin's handler carried on");
        Assert.That(store.Scalar<long>("SELECT last_seq FROM plugin_deliveries WHERE plugin_id = 'Test.ThrowsInHandler'"), Is.EqualTo(3));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM plugin_worker_failures WHERE plugin_id = 'Test.ThrowsInHandler'"), Is.EqualTo(1));
    }
}

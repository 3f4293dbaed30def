using CrmExtensions.Store.Leases;
using CrmExtensions.Testing;

namespace CrmExtensions.Store.Tests.Leases;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class SyncLockTests(DatabaseProvider provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private CrmStore Store(TestDatabase database)
    {
        var store = TestStores.Create(database, TimeProvider.System);
        store.Migrate();
        return store;
    }

    /// <summary>Takes the lock on another thread; <paramref name="waiting"/> is set when it has to wait.</summary>
    private static Task<SyncLock> TakeAsync(CrmStore store, SyncLockMode mode, ManualResetEventSlim waiting, CancellationToken cancellationToken = default) =>
        Task.Run(() => SyncLock.Acquire(store, mode, waiting.Set, cancellationToken), CancellationToken.None);

    [TestCase(SyncLockMode.Exclusive, SyncLockMode.Exclusive)]
    [TestCase(SyncLockMode.Exclusive, SyncLockMode.Shared)]
    [TestCase(SyncLockMode.Shared, SyncLockMode.Exclusive)]
    public async Task Acquire_ConflictingHolder_SaysItWaitsAndTakesItWhenReleased(SyncLockMode held, SyncLockMode wanted)
    {
        using var database = TestDatabase.Create(provider);
        var store = Store(database);
        using var waiting = new ManualResetEventSlim();
        var first = SyncLock.Acquire(store, held, null, CancellationToken.None);

        var second = TakeAsync(store, wanted, waiting);
        Assert.That(waiting.Wait(Patience), Is.True, "the second holder said it waits");
        Assert.That(second.IsCompleted, Is.False, "and it does wait");
        first.Dispose();

        using var taken = await second.WaitAsync(Patience);
        Assert.That(taken, Is.Not.Null);
    }

    [Test]
    public async Task Acquire_SharedBesideShared_DoesNotWait()
    {
        using var database = TestDatabase.Create(provider);
        var store = Store(database);
        using var waiting = new ManualResetEventSlim();
        using var first = SyncLock.Acquire(store, SyncLockMode.Shared, null, CancellationToken.None);

        using var second = await TakeAsync(store, SyncLockMode.Shared, waiting).WaitAsync(Patience);

        Assert.That(waiting.IsSet, Is.False);
    }

    [Test]
    public async Task Acquire_CancelledWhileWaiting_ThrowsAndLeavesTheLockToItsHolder()
    {
        using var database = TestDatabase.Create(provider);
        var store = Store(database);
        using var waiting = new ManualResetEventSlim();
        using var stop = new CancellationTokenSource();
        var first = SyncLock.Acquire(store, SyncLockMode.Exclusive, null, CancellationToken.None);

        var second = TakeAsync(store, SyncLockMode.Exclusive, waiting, stop.Token);
        Assert.That(waiting.Wait(Patience), Is.True);
        await stop.CancelAsync();

        Assert.That(async () => await second.WaitAsync(Patience), Throws.InstanceOf<OperationCanceledException>());
        first.Dispose();
        using var again = await TakeAsync(store, SyncLockMode.Exclusive, new ManualResetEventSlim()).WaitAsync(Patience);
    }
}

using CrmExtensions.Store.Leases;
using CrmExtensions.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Store.Tests.Leases;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class StoreLeasesTests(DatabaseProvider provider)
{
    private static readonly TimeSpan Minutes15 = TimeSpan.FromMinutes(15);

    [Test]
    public void TryAcquire_TwoHosts_OnlyOneHoldsItUntilReleasedOrExpired()
    {
        using var database = TestDatabase.Create(provider);
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var store = TestStores.Create(database, clock);
        store.Migrate();
        var a = new StoreLeases(store, "host-a/1/x");
        var b = new StoreLeases(store, "host-b/2/y");

        var first = a.TryAcquire("sync", Minutes15);
        var blocked = b.TryAcquire("sync", Minutes15);
        var renewed = a.TryAcquire("sync", Minutes15);
        var other = b.TryAcquire("reminders", Minutes15);
        a.Release("sync");
        var afterRelease = b.TryAcquire("sync", Minutes15);
        var aBlocked = a.TryAcquire("sync", Minutes15);
        clock.Advance(TimeSpan.FromMinutes(16));
        var afterExpiry = a.TryAcquire("sync", Minutes15);

        Assert.That((first, blocked, renewed, other, afterRelease, aBlocked, afterExpiry), Is.EqualTo((true, false, true, true, true, false, true)));
        Assert.That(a.Holder("sync")?.Owner, Is.EqualTo("host-a/1/x"));
        Assert.That(a.Holder("never"), Is.Null);
    }

    [Test]
    public void TryTakeOver_FromTheRecordedHolder_SucceedsOnceAndNotFromAnyoneElse()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        store.Migrate();
        var dead = new StoreLeases(store, "host-a/1/x");
        var heir = new StoreLeases(store, "host-a/2/y");
        var late = new StoreLeases(store, "host-a/3/z");
        dead.TryAcquire("sync", Minutes15);

        var wrong = late.TryTakeOver("sync", "host-b/9/q", Minutes15);
        var taken = heir.TryTakeOver("sync", "host-a/1/x", Minutes15);
        var again = late.TryTakeOver("sync", "host-a/1/x", Minutes15);

        Assert.That((wrong, taken, again), Is.EqualTo((false, true, false)));
        Assert.That(heir.Holder("sync")?.Owner, Is.EqualTo("host-a/2/y"));
    }

    [Test]
    public async Task TryAcquire_ManyHostsAtOnce_ExactlyOneWins()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        store.Migrate();

        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => new StoreLeases(store, $"host/{i}/x").TryAcquire("reminders", Minutes15))));

        Assert.That(wins.Count(w => w), Is.EqualTo(1));
    }
}

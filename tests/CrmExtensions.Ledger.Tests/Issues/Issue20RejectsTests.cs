using CrmExtensions.Ledger.Sync;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Ledger.Tests.Issues;

/// <summary>Issue 20, item 7: <c>sync_rejects</c> gained a full copy of every reject on each sync (10,047 rows, then 20,094 with no ledger change).</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class Issue20RejectsTests(DatabaseProvider provider)
{
    [Test]
    public void Sync_SameUnreadableRowsEverySync_KeepsEachRejectOnceAndAddsNewOnes()
    {
        using var database = TestDatabase.Create(provider);
        using var ledger = new TestLedger();
        var store = TestStores.Create(database);
        ledger.Execute("""
            INSERT INTO invoice VALUES (7, '0001 ', 'вчера', '2024-03-05', 100, 0);
            INSERT INTO invoice VALUES (8, '0001 ', '2024-03-01', '2024-03-05', NULL, 0);
            """);

        var results = new[] { Sync(), Sync(), Sync() };
        var afterThree = Count(store);
        ledger.Execute("UPDATE invoice SET issued = 'позавчера' WHERE id = 7");
        Sync();

        Assert.That(results.Select(r => r.Single(k => k.Kind == "invoices").Counts.Rejected), Has.All.EqualTo(2), "each sync still reports what it could not read");
        Assert.That(afterThree, Is.EqualTo(2));
        Assert.That(Count(store), Is.EqualTo(3), "a different bad value is a new reject");

        IReadOnlyList<KindSyncResult> Sync() => new LedgerSynchronizer(store).Sync([ledger.Definition()]);
    }

    private static long Count(CrmStore store)
    {
        using var connection = store.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sync_rejects");
    }
}

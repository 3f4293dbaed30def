using CrmExtensions.Ledger.Sync;
using CrmExtensions.Store;
using CrmExtensions.Store.Leases;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Ledger.Tests.Issues;

/// <summary>
/// Issue 20, item 5: two hosts syncing one store recorded every changed invoice twice, and two first syncs at once
/// failed on each other's locks.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class Issue20ConcurrentSyncTests(DatabaseProvider provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private TestDatabase _database = null!;
    private CrmStore _store = null!;
    private TestLedger _ledger = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(provider);
        _store = TestStores.Create(_database);
        _store.Migrate();
        _ledger = new TestLedger();
    }

    [TearDown]
    public void TearDown()
    {
        _ledger?.Dispose();
        _database?.Dispose();
    }

    private List<(string Type, string LedgerId)> Events()
    {
        using var connection = _store.Open();
        return connection.Query<(string, string)>("SELECT event_type, ledger_id FROM change_events ORDER BY seq").ToList();
    }

    private const string Changes = """
        UPDATE "Counter Party" SET title = 'ООО "Ромашка"', changed = '2024-05-01 09:00:00' WHERE code = '0001 ';
        DELETE FROM "Counter Party" WHERE code = '0003 ';
        INSERT INTO invoice VALUES (3, '0002', '2024-05-02', '2024-06-01', 990000, 0);
        UPDATE invoice SET due = '2024-03-20' WHERE id = 1;
        INSERT INTO payment VALUES (2, '0001 ', '2024-03-01', 1234.56, 1);
        """;

    private static readonly (string, string)[] ChangeEvents =
    [
        ("counterparty.changed", "0001"), ("counterparty.vanished", "0003"), ("invoice.created", "3"), ("invoice.changed", "1"),
        ("payment.created", "2"), ("invoice.paid", "1"),
    ];

    [Test]
    public void Write_ChangeAnotherSyncAlreadyWrote_WritesAndRecordsNothing()
    {
        new LedgerSynchronizer(_store).Sync([_ledger.Definition()]);
        var kind = MirrorSchema.Kinds.Single(k => k.Name == "counterparties");
        object?[] values;
        long hash;
        using (var connection = _store.Open())
        {
            values = [.. kind.Columns.Select(c => connection.ExecuteScalar<object?>($"SELECT {c.Name} FROM {kind.Table} WHERE ledger_id = '0002'") is var v && v is DBNull ? null : v)];
            hash = connection.ExecuteScalar<long>($"SELECT row_hash FROM {kind.Table} WHERE ledger_id = '0002'");
        }

        values[1] = "АО «Вектор» (renamed)";
        SyncCounts first, second;
        // Both syncs read the mirror before either wrote: each believes the row changed and the other row is there.
        using (var a = MirrorWriter.Begin(_store, "main", kind, "full", emitEvents: true))
        {
            a.Write(values, hash + 1, RowChange.Changed);
            a.MarkVanished("0001");
            first = a.Complete(1, 0, null);
        }

        using (var b = MirrorWriter.Begin(_store, "main", kind, "full", emitEvents: true))
        {
            b.Write(values, hash + 1, RowChange.Changed);
            b.MarkVanished("0001");
            second = b.Complete(1, 0, null);
        }

        Assert.That(first, Is.EqualTo(new SyncCounts(1, 0, 1, 1, 0)));
        Assert.That(second, Is.EqualTo(new SyncCounts(1, 0, 0, 0, 0)), "the second found both done: nothing written, nothing counted");
        Assert.That(Events(), Is.EqualTo(new[] { ("counterparty.changed", "0002"), ("counterparty.vanished", "0001") }));
    }

    [Test]
    public async Task Sync_TwoHostsAtOnceOnTheSameChange_RecordEachEventOnce()
    {
        new LedgerSynchronizer(_store).Sync([_ledger.Definition()]);
        _ledger.Execute(Changes);

        var syncs = Enumerable.Range(0, 2).Select(_ => Task.Run(() => new LedgerSynchronizer(_store).Sync([_ledger.Definition()]))).ToList();
        var results = await Task.WhenAll(syncs).WaitAsync(Patience);

        Assert.That(Events(), Is.EquivalentTo(ChangeEvents));
        Assert.That(results.Sum(r => r.Sum(k => k.Counts.Inserted + k.Counts.Changed + k.Counts.Vanished)), Is.EqualTo(5), "one host found each change");
    }

    [Test]
    public async Task Sync_TwoFirstSyncsAtOnce_BothCompleteAndTheMirrorIsLoadedOnce()
    {
        var syncs = Enumerable.Range(0, 2).Select(_ => Task.Run(() => new LedgerSynchronizer(_store).Sync([_ledger.Definition()]))).ToList();
        var results = await Task.WhenAll(syncs).WaitAsync(Patience);

        Assert.That(results.Select(r => r.Single(k => k.Kind == "counterparties").Mode), Is.EquivalentTo(new[] { "baseline", "watermark" }));
        Assert.That(Events(), Is.Empty, "the second sync found the first one's baseline unchanged");
        using var connection = _store.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties"), Is.EqualTo(3));
    }

    [Test]
    public async Task Sync_WhileAnotherHostSyncs_SaysItWaitsThenFindsItsChangesDone()
    {
        new LedgerSynchronizer(_store).Sync([_ledger.Definition()]);
        _ledger.Execute(Changes);
        using var waiting = new ManualResetEventSlim();
        var other = SyncLock.Acquire(_store, SyncLockMode.Exclusive, null, CancellationToken.None);

        var sync = Task.Run(() => new LedgerSynchronizer(_store) { Waiting = waiting.Set }.Sync([_ledger.Definition()]));
        Assert.That(waiting.Wait(Patience), Is.True, "the sync said it waits for the other host");
        Assert.That(sync.IsCompleted, Is.False);
        other.Dispose();
        await sync.WaitAsync(Patience);

        Assert.That(Events(), Is.EquivalentTo(ChangeEvents));
    }

    [Test]
    public void UnfinishedSyncs_KindWhoseLastRunBrokeOff_IsNamedUntilARunCompletes()
    {
        new LedgerSynchronizer(_store).Sync([_ledger.Definition()]);
        var payments = MirrorSchema.Kinds.Single(k => k.Name == "payments");
        using (MirrorWriter.Begin(_store, "main", payments, "full", emitEvents: true))
        {
            // Broken off: never completed.
        }

        var broken = MirrorSummary.UnfinishedSyncs(_store);
        new LedgerSynchronizer(_store).Sync([_ledger.Definition()]);

        Assert.That(broken, Is.EqualTo(new[] { "main payments" }));
        Assert.That(MirrorSummary.UnfinishedSyncs(_store), Is.Empty);
    }
}

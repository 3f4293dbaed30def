using CrmExtensions.Ledger.Sync;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Ledger.Tests.Sync;

public sealed partial class LedgerSynchronizerTests
{
    [Test]
    public void Sync_FirstLoadInterrupted_LeavesTheKindEmptyWithItsIndexesAndLoadsItAgainAsABaseline()
    {
        var indexes = Indexes(_store, "mirror_counterparties");
        SyncInterruptedAmongNewCounterparties();
        using (var connection = _store.Open())
        {
            Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties"), Is.Zero, "the interrupted first load left nothing");
        }

        Assert.That(Indexes(_store, "mirror_counterparties"), Is.EqualTo(indexes), "the indexes set aside came back with the rollback");
        var resumed = Sync();

        Assert.That(resumed["counterparties"].Mode, Is.EqualTo("baseline"));
        Assert.That(resumed["counterparties"].Counts.Inserted, Is.EqualTo(60_003));
        Assert.That(Events(), Is.Empty);
        Assert.That(Indexes(_store, "mirror_counterparties"), Is.EqualTo(indexes), "the indexes set aside were made again");
    }

    [Test]
    public void Sync_FirstLoad_MakesTheIndexesItSetAsideAgainAndReadsThroughThem()
    {
        var indexes = Indexes(_store, "mirror_invoices");

        Sync();

        Assert.That(Indexes(_store, "mirror_invoices"), Is.EqualTo(indexes));
        using var connection = _store.Open();
        // Read through the counterparty index: the rows written while it was set aside are in it.
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_invoices WHERE ledger = 'main' AND counterparty_id = '0001'"),
            Is.EqualTo(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_invoices WHERE counterparty_id || '' = '0001'")).And.Positive);
    }

    [Test]
    public void Sync_FirstLoadIntoATableWithAnotherLedgersRows_KeepsTheIndexesAndCommitsInBatches()
    {
        using var other = new TestLedger("spb");
        new LedgerSynchronizer(_store).Sync(other.Definition());
        var indexes = Indexes(_store, "mirror_counterparties");

        SyncInterruptedAmongNewCounterparties();

        using var connection = _store.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties WHERE ledger = 'main'"), Is.InRange(20_000, 40_000),
            "the batches before the interruption are committed: the other ledger's users were not kept waiting for the whole load");
        Assert.That(Indexes(_store, "mirror_counterparties"), Is.EqualTo(indexes));
    }

    [Test]
    public void Sync_RepeatedLedgerIds_KeepTheFirstReadableRowOnAFirstLoadAsOnTheNextSync()
    {
        // Every invoice twice, the second time 1.00 more; invoice 1 unreadable the first time (no date), readable the second.
        File.WriteAllText(_ledger.MappingPath, """
            { "counterparties": { "query": "SELECT code AS ledger_id, title AS name FROM \"Counter Party\"" },
              "invoices": { "query": "SELECT id AS ledger_id, party AS counterparty_id, CASE WHEN id = 1 THEN 'no date' ELSE issued END AS issued_on, kop / 100.0 AS amount FROM invoice UNION ALL SELECT id, party, issued, kop / 100.0 + 1 FROM invoice" } }
            """);

        var first = Sync();
        var firstRows = InvoiceAmounts();
        var second = Sync();

        Assert.That(first["invoices"].Mode, Is.EqualTo("baseline"));
        Assert.That(first["invoices"].Counts, Is.EqualTo(new SyncCounts(4, 1, 0, 0, 3)));
        Assert.That(first["invoices"].Rejects.Select(r => (r.LedgerId, r.Column)), Is.EqualTo(new[] { ("1", "issued_on"), ("1", "ledger_id"), ("2", "ledger_id") }),
            "a readable row whose ledger_id came unreadable before is a repeat too");
        Assert.That(firstRows, Is.EqualTo(new[] { ("2", 5_000_000L) }), "the first row of invoice 2 (500.00), not its repeat");
        Assert.That(second["invoices"].Mode, Is.EqualTo("full"));
        Assert.That(second["invoices"].Counts, Is.EqualTo(new SyncCounts(4, 0, 0, 0, 3)), "the next sync finds the same repeats and nothing changed");
        Assert.That(InvoiceAmounts(), Is.EqualTo(firstRows));
        Assert.That(Events(), Is.Empty);
    }

    private List<(string LedgerId, long Amount)> InvoiceAmounts()
    {
        using var connection = _store.Open();
        return connection.Query<(string, long)>("SELECT ledger_id, amount FROM mirror_invoices ORDER BY ledger_id").ToList();
    }

    [Test]
    public void Sync_FirstLoad_SettlesTheInvoicesPaidByTheirOwnAmountOrByPaymentsAsASettlementWould()
    {
        // Paid by its own amount (2), by a payment that names it (3), partly (4), not at all (1), and a zero invoice (5).
        _ledger.Execute("""
            INSERT INTO invoice VALUES (3, '0002 ', '2024-02-07', '2024-03-07', 70000, 0);
            INSERT INTO payment VALUES (2, '0002 ', '2024-02-11', 700.0, 3);
            INSERT INTO invoice VALUES (4, '0002 ', '2024-02-08', '2024-03-08', 90000, 10000);
            INSERT INTO invoice VALUES (5, '0002 ', '2024-02-09', '2024-03-09', 0, 0);
            """);

        Sync();

        using var connection = _store.Open();
        // Settled on the day of the sync, which wrote the row.
        var settled = connection.Query<(string, string?)>(
            "SELECT ledger_id, CASE WHEN settled_on = substr(synced_at, 1, 10) THEN 'that day' ELSE settled_on END FROM mirror_invoices ORDER BY ledger_id").ToList();
        Assert.That(settled, Is.EqualTo(new (string, string?)[] { ("1", null), ("2", "that day"), ("3", "that day"), ("4", null), ("5", null) }));
    }

    /// <summary>The names of a table's indexes, as the database lists them.</summary>
    private List<string> Indexes(CrmStore store, string table)
    {
        using var connection = store.Open();
        var sql = provider == DatabaseProvider.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @table ORDER BY name"
            : "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @table ORDER BY indexname";
        return connection.Query<string>(sql, new { table }).ToList();
    }
}

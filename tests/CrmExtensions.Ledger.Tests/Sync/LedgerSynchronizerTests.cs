using CrmExtensions.Ledger.Reading;
using CrmExtensions.Ledger.Sync;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Ledger.Tests.Sync;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed partial class LedgerSynchronizerTests(DatabaseProvider provider)
{
    private TestDatabase _database = null!;
    private CrmStore _store = null!;
    private TestLedger _ledger = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(provider);
        _store = TestStores.Create(_database);
        _ledger = new TestLedger();
    }

    [TearDown]
    public void TearDown()
    {
        _ledger?.Dispose();
        _database?.Dispose();
    }

    private Dictionary<string, KindSyncResult> Sync() =>
        new LedgerSynchronizer(_store).Sync([_ledger.Definition()]).ToDictionary(r => r.Kind);

    private List<(string Type, string LedgerId)> Events()
    {
        using var connection = _store.Open();
        return connection.Query<(string, string)>("SELECT event_type, ledger_id FROM change_events ORDER BY seq").ToList();
    }

    [Test]
    public void Sync_FirstTime_LoadsEveryRowAsABaselineWithoutEvents()
    {
        var results = Sync();

        Assert.That(results["counterparties"].Counts, Is.EqualTo(new SyncCounts(3, 3, 0, 0, 0)));
        Assert.That(results["invoices"].Counts.Inserted, Is.EqualTo(2));
        Assert.That(results["payments"].Counts.Inserted, Is.EqualTo(1));
        Assert.That(results.Values.Select(r => r.Mode), Has.All.EqualTo("baseline"));
        Assert.That(Events(), Is.Empty);
    }

    [Test]
    public void Sync_Twice_FindsNoChangesTheSecondTime()
    {
        Sync();

        var second = Sync();

        Assert.That(second.Values.Select(r => r.Counts.HasChanges), Has.All.False);
        Assert.That(second["counterparties"].Mode, Is.EqualTo("watermark"));
        Assert.That(second["invoices"].Mode, Is.EqualTo("full"));
        Assert.That(Events(), Is.Empty);
    }

    [Test]
    public void Sync_AfterInsertChangeAndDelete_ReportsExactlyThose()
    {
        Sync();
        _ledger.Execute("""
            INSERT INTO "Counter Party" VALUES ('0004', 'ИП Иванов Иван Иванович', '500100732259', NULL, '2024-05-01 09:00:00');
            UPDATE "Counter Party" SET title = 'ООО "Ромашка"', changed = '2024-05-01 09:00:00' WHERE code = '0001 ';
            DELETE FROM "Counter Party" WHERE code = '0003 ';
            INSERT INTO invoice VALUES (3, '0004', '2024-05-02', '2024-06-01', 990000, 0);
            UPDATE invoice SET kop = 123457 WHERE id = 1;
            DELETE FROM payment WHERE id = 1;
            """);

        var results = Sync();

        Assert.That(results["counterparties"].Counts, Is.EqualTo(new SyncCounts(2, 1, 1, 1, 0)), "watermark mode reads only changed rows, and still finds the deletion");
        Assert.That(results["invoices"].Counts, Is.EqualTo(new SyncCounts(3, 1, 1, 0, 0)));
        Assert.That(results["payments"].Counts, Is.EqualTo(new SyncCounts(0, 0, 0, 1, 0)));
        Assert.That(Events(), Is.EquivalentTo(new[]
        {
            ("counterparty.created", "0004"), ("counterparty.changed", "0001"), ("counterparty.vanished", "0003"),
            ("invoice.created", "3"), ("invoice.changed", "1"), ("payment.vanished", "1"),
        }));
    }

    [Test]
    public void Sync_VanishedRow_IsKeptAndMarkedNotDeleted()
    {
        Sync();
        _ledger.Execute("DELETE FROM invoice WHERE id = 2");

        Sync();

        using var connection = _store.Open();
        var row = connection.QuerySingle<(string LedgerId, string? VanishedAt)>("SELECT ledger_id, vanished_at FROM mirror_invoices WHERE ledger_id = '2'");
        Assert.That(row.VanishedAt, Is.Not.Null);
    }

    [Test]
    public void Sync_RowThatCannotBeRead_IsRejectedWithItsReasonAndTheRestIsLoaded()
    {
        _ledger.Execute("""
            INSERT INTO invoice VALUES (7, '0001 ', 'вчера', '2024-03-05', 100, 0);
            INSERT INTO invoice VALUES (8, '0001 ', '2024-03-01', '2024-03-05', NULL, 0);
            """);

        var results = Sync();

        var invoices = results["invoices"];
        Assert.That(invoices.Counts, Is.EqualTo(new SyncCounts(4, 2, 0, 0, 2)));
        Assert.That(invoices.Rejects, Is.EquivalentTo(new[]
        {
            new RowReject("7", "issued_on", "вчера", "not a date (expected yyyy-MM-dd, dd.MM.yyyy or an ISO timestamp)"),
            new RowReject("8", "amount", "NULL", "required column 'amount' is empty"),
        }));
        using var connection = _store.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sync_rejects WHERE kind = 'invoices'"), Is.EqualTo(2));
    }

    [Test]
    public void Sync_RowThatBecomesUnreadable_IsNotTakenForVanished()
    {
        Sync();
        _ledger.Execute("UPDATE invoice SET issued = 'garbage' WHERE id = 1");

        var results = Sync();

        Assert.That(results["invoices"].Counts, Is.EqualTo(new SyncCounts(2, 0, 0, 0, 1)));
    }

    [Test]
    public void Sync_DuplicateLedgerIds_AreRejectedNotDoubleCounted()
    {
        File.WriteAllText(_ledger.MappingPath, """
            { "counterparties": { "query": "SELECT c.code AS ledger_id, c.title AS name FROM \"Counter Party\" c JOIN invoice i ON 1 = 1" } }
            """);

        var results = Sync();

        Assert.That(results["counterparties"].Counts, Is.EqualTo(new SyncCounts(6, 3, 0, 0, 3)));
        Assert.That(results["counterparties"].Rejects[0].Message, Does.Contain("more than once"));
    }

    [Test]
    public void Sync_MoneyAndDates_AreStoredConverted()
    {
        Sync();

        using var connection = _store.Open();
        var invoice = connection.QuerySingle<(long Amount, string IssuedOn, string LedgerId, string CounterpartyId)>(
            "SELECT amount, issued_on, ledger_id, counterparty_id FROM mirror_invoices WHERE ledger = 'main' AND ledger_id = '1'");
        Assert.That(invoice, Is.EqualTo((12_345_600L, "2024-02-05", "1", "0001")));
    }

    [Test]
    public void Sync_InvoicePaidLater_RecordsInvoicePaidOnce()
    {
        Sync();
        _ledger.Execute("INSERT INTO payment VALUES (2, '0001 ', '2024-03-01', 1234.56, 1)");

        Sync();
        Sync();

        Assert.That(Events(), Is.EqualTo(new[] { ("payment.created", "2"), ("invoice.paid", "1") }));
    }

    [Test]
    public void Sync_SeveralLedgers_KeyRowsByLedgerAndId()
    {
        using var second = new TestLedger("spb");

        new LedgerSynchronizer(_store).Sync([_ledger.Definition(), second.Definition()]);

        using var connection = _store.Open();
        var keys = connection.Query<(string, string)>("SELECT ledger, ledger_id FROM mirror_counterparties ORDER BY ledger, ledger_id").ToList();
        Assert.That(keys, Is.EqualTo(new[] { ("main", "0001"), ("main", "0002"), ("main", "0003"), ("spb", "0001"), ("spb", "0002"), ("spb", "0003") }));
    }

    [Test]
    public void Sync_InterruptedMidRunThenRunAgain_LosesNothingAndRecordsEachEventOnce()
    {
        Sync();
        SyncInterruptedAmongNewCounterparties();
        var afterCrash = Events().Count(e => e.Type == "counterparty.created");
        var resumed = Sync();

        Assert.That(afterCrash, Is.InRange(1, 59_999), "the interruption came mid-run, after a committed batch");
        Assert.That(resumed["counterparties"].Counts.Inserted, Is.EqualTo(60_000 - afterCrash));
        var created = Events().Where(e => e.Type == "counterparty.created").Select(e => e.LedgerId).ToList();
        Assert.That(created, Has.Count.EqualTo(60_000).And.Unique);
        using var connection = _store.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties WHERE ledger = 'main'"), Is.EqualTo(60_003));
    }

    /// <summary>Adds 60,000 counterparties to the ledger and interrupts a sync once it has read 40,000 of them: after the
    /// first batch of 20,000 rows was committed and the second is half written (when batches are committed).</summary>
    private void SyncInterruptedAmongNewCounterparties()
    {
        _ledger.Execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
            INSERT INTO "Counter Party" SELECT printf('N%06d', i), 'Firm ' || i, NULL, NULL, '2030-01-01 00:00:00' FROM n;
            """);
        using var stop = new CancellationTokenSource();
        var reports = 0;
        var progress = new Inline(p =>
        {
            if (p.Kind == "counterparties" && ++reports == 2)
            {
                stop.Cancel();
            }
        });

        Assert.That(() => new LedgerSynchronizer(_store).Sync([_ledger.Definition()], progress, stop.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    private sealed class Inline(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }

    [Test]
    public void Sync_InvoiceLinesAndProducts_AreMirroredLikeTheOtherKinds_WithoutEvents()
    {
        File.WriteAllText(_ledger.MappingPath, TestLedger.DefaultMapping.TrimEnd()[..^1] + """
            ,
              "products": { "query": "SELECT code AS ledger_id, title AS name, grp AS product_group FROM goods" },
              "invoice_lines": { "query": "SELECT invoice || '/' || n AS ledger_id, invoice AS invoice_id, good AS product_id, qty AS quantity, kop / 100.0 AS amount FROM line" }
            }
            """);
        _ledger.Execute("""
            CREATE TABLE goods (code TEXT PRIMARY KEY, title TEXT, grp TEXT);
            CREATE TABLE line (invoice INTEGER, n INTEGER, good TEXT, qty REAL, kop INTEGER);
            INSERT INTO goods VALUES ('P1', 'Бумага А4', 'Канцтовары'), ('P2', 'Принтер', 'Оргтехника');
            INSERT INTO line VALUES (1, 1, 'P1', 2.5, 23456), (1, 2, 'P2', 1, 100000), (2, 1, 'P1', 4, 50000);
            """);
        Sync();
        _ledger.Execute("UPDATE line SET qty = 3, kop = 30000 WHERE invoice = 1 AND n = 1; DELETE FROM line WHERE invoice = 2;");

        var results = Sync();

        Assert.That(results["products"].Counts, Is.EqualTo(new SyncCounts(2, 0, 0, 0, 0)));
        Assert.That(results["invoice_lines"].Counts, Is.EqualTo(new SyncCounts(2, 0, 1, 1, 0)));
        using var connection = _store.Open();
        var lines = connection.Query<(string Id, string Invoice, string Product, long? Quantity, long Amount, bool Vanished)>(
            "SELECT ledger_id, invoice_id, product_id, quantity, amount, CASE WHEN vanished_at IS NULL THEN 0 ELSE 1 END FROM mirror_invoice_lines ORDER BY ledger_id").ToList();
        Assert.That(lines, Is.EqualTo(new[]
        {
            ("1/1", "1", "P1", (long?)Money.ToStored(3m), Money.ToStored(300m), false),
            ("1/2", "1", "P2", (long?)Money.ToStored(1m), Money.ToStored(1_000m), false),
            ("2/1", "2", "P1", (long?)Money.ToStored(4m), Money.ToStored(500m), true),
        }));
        Assert.That(Events(), Is.Empty, "lines and products are details of the invoices, whose own events announce changes");
    }
}

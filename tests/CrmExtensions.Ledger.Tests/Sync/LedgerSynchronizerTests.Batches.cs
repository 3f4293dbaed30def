using CrmExtensions.Ledger.Sync;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Ledger.Tests.Sync;

public sealed partial class LedgerSynchronizerTests
{
    // Each kind of change is more than one PostgreSQL statement's worth of rows (MirrorWriter.RowsPerStatement).
    private const int Parties = 6_000;
    private const int Invoices = 9_000;

    [Test]
    public void Sync_ChangesSpreadOverSeveralBatches_GiveTheMirrorCountsAndEventsOfASqliteStore()
    {
        Assume.That(Invoices / 3, Is.GreaterThan(MirrorWriter.RowsPerStatement), "each change spans more than one statement");
        using var referenceDatabase = TestDatabase.Create(Testing.DatabaseProvider.Sqlite);
        var reference = TestStores.Create(referenceDatabase);
        _ledger.Execute($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Parties})
            INSERT INTO "Counter Party" SELECT printf('N%05d', i), 'Firm ' || i, NULL, NULL, '2024-01-01 00:00:00' FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Invoices})
            INSERT INTO invoice SELECT 1000 + i, printf('N%05d', 1 + i % {Parties}), '2024-02-01', NULL, 100 * i, 0 FROM n;
            """);
        var runs = new List<(Dictionary<string, KindSyncResult> Store, Dictionary<string, KindSyncResult> Reference)> { SyncBoth() };

        // A third of each kind changed, a third gone, a third as it was, and new rows.
        _ledger.Execute($"""
            UPDATE "Counter Party" SET title = title || ' (renamed)', changed = '2024-05-01 00:00:00' WHERE code LIKE 'N%' AND CAST(substr(code, 2) AS INTEGER) % 3 = 0;
            DELETE FROM "Counter Party" WHERE code LIKE 'N%' AND CAST(substr(code, 2) AS INTEGER) % 3 = 1;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
            INSERT INTO "Counter Party" SELECT printf('M%05d', i), 'New firm ' || i, NULL, NULL, '2024-05-01 00:00:00' FROM n;
            UPDATE invoice SET kop = kop + 1 WHERE id > 1000 AND id % 3 = 0;
            DELETE FROM invoice WHERE id > 1000 AND id % 3 = 1;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
            INSERT INTO invoice SELECT 20000 + i, printf('M%05d', i), '2024-05-02', NULL, 7 * i, 0 FROM n;
            """);
        runs.Add(SyncBoth());

        // Most of the gone invoices come back: they reappear.
        _ledger.Execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 7000)
            INSERT INTO invoice SELECT 1000 + i, printf('N%05d', 1 + i % 6000), '2024-02-01', NULL, 100 * i, 0 FROM n WHERE (1000 + i) % 3 = 1;
            """);
        runs.Add(SyncBoth());

        foreach (var (store, expected) in runs)
        {
            Assert.That(store.ToDictionary(r => r.Key, r => r.Value.Counts), Is.EqualTo(expected.ToDictionary(r => r.Key, r => r.Value.Counts)));
        }

        Assert.That(runs[1].Store["invoices"].Counts, Is.EqualTo(new SyncCounts(Invoices - 3_000 + 2 + 2_500, 2_500, 3_000, 3_000, 0)));
        var parties = runs[1].Store["counterparties"].Counts;
        Assert.That((parties.Inserted, parties.Changed, parties.Vanished), Is.EqualTo((2_500L, 2_000L, 2_000L)));
        Assert.That(runs[2].Store["invoices"].Counts.Changed, Is.EqualTo(2_333), "the invoices that came back");
        Assert.That(Mirror(_store), Is.EqualTo(Mirror(reference)));
        var (events, expectedEvents) = (ChangeEvents(_store), ChangeEvents(reference));
        Assert.That(events, Is.EquivalentTo(expectedEvents));
        // Rows vanish in the order the mirror was read, which is the database's own; the rest in the ledger's order.
        Assert.That(events.Where(e => !e.Type.EndsWith(".vanished", StringComparison.Ordinal)),
            Is.EqualTo(expectedEvents.Where(e => !e.Type.EndsWith(".vanished", StringComparison.Ordinal))));

        (Dictionary<string, KindSyncResult>, Dictionary<string, KindSyncResult>) SyncBoth() =>
            (Sync(), new LedgerSynchronizer(reference).Sync([_ledger.Definition()]).ToDictionary(r => r.Kind));
    }

    /// <summary>Every mirrored counterparty and invoice with its hash, whether it vanished, and a column the store computes.</summary>
    private static List<string> Mirror(CrmStore store)
    {
        using var connection = store.Open();
        var rows = connection.Query<string>("""
            SELECT 'c ' || ledger_id || ' ' || CAST(row_hash AS varchar(20)) || ' ' || CASE WHEN vanished_at IS NULL THEN 'here' ELSE 'gone' END || ' ' || name FROM mirror_counterparties
            UNION ALL
            SELECT 'i ' || ledger_id || ' ' || CAST(row_hash AS varchar(20)) || ' ' || CASE WHEN vanished_at IS NULL THEN 'here' ELSE 'gone' END || ' ' || CAST(base_amount AS varchar(20)) FROM mirror_invoices
            """).ToList();
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static List<(string Type, string LedgerId)> ChangeEvents(CrmStore store)
    {
        using var connection = store.Open();
        return connection.Query<(string, string)>("SELECT event_type, ledger_id FROM change_events ORDER BY seq").ToList();
    }
}

using System.Globalization;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Ledger.Sync;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Ledger.Tests.Sync;

/// <summary>A first load (one transaction, indexes set aside, invoices written settled) leaves the store as writing the
/// same rows one by one through the ordinary upsert, then settling and converting them, does.</summary>
public sealed partial class LedgerSynchronizerTests
{
    private const string EveryComputedColumnMapping = """
        {
          "counterparties": {
            "query": "SELECT code AS ledger_id, title AS name, inn AS tax_id, kpp AS branch_code, born AS birthday, phone, changed AS updated_at FROM \"Counter Party\"",
            "watermark": "updated_at"
          },
          "invoices": { "query": "SELECT id AS ledger_id, party AS counterparty_id, issued AS issued_on, due AS due_on, kop / 100.0 AS amount, paid_kop / 100.0 AS paid_amount, cur AS currency FROM invoice" },
          "payments": { "query": "SELECT id AS ledger_id, party AS counterparty_id, paid AS paid_on, rub AS amount, invoice AS invoice_id, cur AS currency FROM payment" },
          "contacts": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, name AS full_name, born AS birthday FROM contact" },
          "rates": { "query": "SELECT cur || '/' || since AS ledger_id, cur AS currency, since AS rate_on, rate FROM kurs" }
        }
        """;

    [Test]
    public void Sync_FirstLoad_FillsTheMirrorAsTheRowByRowUpsertDoes()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero));
        using var firstDatabase = TestDatabase.Create(provider);
        using var referenceDatabase = TestDatabase.Create(provider);
        var first = TestStores.Create(firstDatabase, time);
        var reference = TestStores.Create(referenceDatabase, time);
        AddEveryComputedColumn(_ledger);
        var ledger = _ledger.Definition();
        // Clients before the first load (0009 in none): money gets its client keys, members their search entries.
        foreach (var store in new[] { first, reference })
        {
            TestClients.AddTo(store);
        }

        var results = new LedgerSynchronizer(first).Sync([ledger]);
        WriteRowByRow(reference, ledger);

        Assert.That(results.Select(r => r.Mode), Has.All.EqualTo("baseline"));
        foreach (var table in new[] { "mirror_counterparties", "mirror_contacts", "mirror_invoices", "mirror_payments", "mirror_rates", "client_search" })
        {
            Assert.That(Rows(first, table), Is.EqualTo(Rows(reference, table)).And.Not.Empty, table);
        }

        // What the comparison covers: each computed column has a value in some row.
        using var connection = first.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_invoices WHERE settled_on IS NOT NULL AND client_id IS NOT NULL AND base_amount IS NOT NULL"), Is.Positive);
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_invoices WHERE currency = 'USD' AND base_paid_amount IS NOT NULL AND settled_on IS NOT NULL"), Is.EqualTo(1));
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_contacts WHERE birthday_md IS NOT NULL"), Is.EqualTo(2));
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties WHERE birthday_md IS NOT NULL"), Is.EqualTo(2));
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_payments WHERE legal_entity IS NOT NULL"), Is.EqualTo(3));
    }

    /// <summary>Birthdays, phones, currencies and rates, invoices paid by their own amount, by a payment, partly or not at
    /// all, and one of a counterparty no client has.</summary>
    private static void AddEveryComputedColumn(TestLedger ledger)
    {
        File.WriteAllText(ledger.MappingPath, EveryComputedColumnMapping);
        ledger.Execute("""
            ALTER TABLE "Counter Party" ADD born TEXT;
            ALTER TABLE "Counter Party" ADD phone TEXT;
            UPDATE "Counter Party" SET born = '1980-12-04', phone = '+7 (495) 123-45-67' WHERE code = '0002 ';
            UPDATE "Counter Party" SET born = '29.02.1988' WHERE code = '0003 ';
            INSERT INTO "Counter Party" VALUES ('0009 ', 'ООО «Лютик»', '7701234567', NULL, '2024-01-03 10:00:00', NULL, NULL);
            ALTER TABLE invoice ADD cur TEXT;
            ALTER TABLE payment ADD cur TEXT;
            INSERT INTO invoice VALUES (3, '0002 ', '2024-02-07', '2024-03-07', 70000, 0, NULL);
            INSERT INTO invoice VALUES (4, '0002 ', '2024-02-08', NULL, 90000, 10000, NULL);
            INSERT INTO invoice VALUES (5, '0001 ', '2024-02-09', NULL, 0, 0, NULL);
            INSERT INTO invoice VALUES (6, '0003 ', '2024-02-12', NULL, 120000, 120000, 'USD');
            INSERT INTO invoice VALUES (7, '0009 ', '2024-02-13', NULL, 5000, 5000, NULL);
            INSERT INTO payment VALUES (2, '0002 ', '2024-02-11', 700.0, 3, NULL);
            INSERT INTO payment VALUES (3, '0003 ', '2024-02-12', 10.5, NULL, 'USD');
            INSERT INTO payment VALUES (4, '0009 ', '2024-02-14', 50.0, 7, NULL);
            CREATE TABLE contact (id TEXT PRIMARY KEY, cp TEXT NOT NULL, name TEXT NOT NULL, born TEXT);
            INSERT INTO contact VALUES ('K1', '0001 ', 'Иванов Иван Иванович', '1975-03-01');
            INSERT INTO contact VALUES ('K2', '0001 ', 'Кузнецова Анна', NULL);
            INSERT INTO contact VALUES ('K3', '0009 ', 'Петрова Мария', '1988-02-29');
            CREATE TABLE kurs (cur TEXT, since TEXT, rate REAL);
            INSERT INTO kurs VALUES ('USD', '2024-01-01', 90.5);
            INSERT INTO kurs VALUES ('USD', '2024-02-10', 91.25);
            """);
    }

    /// <summary>What a sync into a store in use does with each row, one transaction per row: the ordinary upsert, indexes
    /// live, no invoice written settled; then the settlement and the conversion a sync runs after its kinds.</summary>
    private static void WriteRowByRow(CrmStore store, LedgerDefinition ledger)
    {
        foreach (var mapping in ledger.Mapping.Kinds)
        {
            using var writer = MirrorWriter.Begin(store, ledger.Name, mapping.Kind, "full", emitEvents: false, batchSize: 1);
            long read = 0;
            foreach (var record in LedgerReader.Read(ledger, mapping))
            {
                read++;
                writer.Write(record.Values!, RowHasher.Hash(record.Values!), RowChange.Created);
            }

            writer.Complete(read, 0, null);
        }

        InvoiceSettlement.Settle(store, ledger.Name, emitEvents: false);
        MoneyConversion.Convert(store, ledger.Name, ratesChanged: false);
    }

    /// <summary>Every row of a table, every column named with its value, in order.</summary>
    private static List<string> Rows(CrmStore store, string table)
    {
        using var connection = store.Open();
        return [.. connection.Query($"SELECT * FROM {table}")
            .Select(row => string.Join(", ", ((IDictionary<string, object?>)row).Select(c => c.Key + "=" + Convert.ToString(c.Value, CultureInfo.InvariantCulture))))
            .Order(StringComparer.Ordinal)];
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

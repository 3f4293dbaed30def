using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmExtensions.Formats;
using CrmExtensions.Samples;
using Dapper;
using Microsoft.Data.Sqlite;

/// <summary><c>crmx activity import</c> of a large CSV, beside a bare insert of the same number of rows.</summary>
internal static class ActivityImportBenchmark
{
    public static int Run(int counterparties, int rows, int runs, string work, string crmx)
    {
        var dir = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"activity-import-{counterparties}"));
        var unified = Path.Combine(dir, "unified.db");
        if (!File.Exists(unified))
        {
            Console.WriteLine($"generating {counterparties:N0} counterparties, syncing and unifying them → {dir}");
            SampleLedger.Generate(dir, new SampleLedgerOptions { Counterparties = counterparties, InvoicesPerCounterparty = 0, Seed = 1, AsOf = new DateOnly(2026, 6, 30) });
            File.WriteAllText(Path.Combine(dir, "crmx.json"), $$"""
                { "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source=main.db", "mapping": "{{SampleLedger.MappingFileName}}" } ],
                  "store": { "provider": "sqlite", "connectionString": "Data Source=unified.db" } }
                """);
            Bench.Crmx(crmx, dir, "sync");
            Bench.Crmx(crmx, dir, "unify");
        }

        var csv = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"activities-{rows}.csv"));
        if (!File.Exists(csv))
        {
            WriteCsv(unified, csv, rows);
        }

        var baseline = new List<double>();
        var import = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var copy = Path.Combine(dir, "run.db");
            File.Copy(unified, copy, overwrite: true);
            baseline.Add(BareInsert(copy, rows));
            File.Copy(unified, copy, overwrite: true);
            File.WriteAllText(Path.Combine(dir, "run.json"), """{ "ledgers": [], "store": { "provider": "sqlite", "connectionString": "Data Source=run.db" } }""");
            var clock = Stopwatch.StartNew();
            var output = Bench.Crmx(crmx, dir, "activity", "import", Path.GetFileName(csv), "--config", "run.json");
            import.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"run {run}: bare insert of {rows:N0} rows {baseline[^1]:0.00} s; crmx activity import {import[^1]:0.00} s ({output.Trim()})");
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs, {rows:N0} CSV rows on {counterparties:N0} counterparties, {Environment.ProcessorCount} cores:");
        Console.WriteLine($"  bare Dapper insert of the rows in one transaction (no parsing, no lookups): {Bench.Median(baseline):0.00} s");
        Console.WriteLine($"  crmx activity import (process start to exit: parse, resolve, insert)    : {Bench.Median(import):0.00} s, {rows / Bench.Median(import):N0} rows/s");
        return 0;
    }

    /// <summary>Rows naming clients as people do: by INN, by client id, by ledger key; every type, Russian dates.</summary>
    private static void WriteCsv(string store, string path, int rows)
    {
        using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly");
        var members = connection.Query<(long ClientId, string Ledger, string LedgerId, string? TaxId)>(
            "SELECT client_id, ledger, ledger_id, tax_id FROM client_members ORDER BY client_id, ledger, ledger_id").ToList();
        var kinds = new[] { "call", "meeting", "letter-in", "letter-out", "email-in", "email-out", "web-form", "note", "звонок" };
        using var writer = new StreamWriter(path, false, new UTF8Encoding(true));
        var csv = new CsvWriter(writer, ';');
        csv.WriteRecord("client", "type", "at", "subject", "manager", "outcome");
        var start = new DateTime(2026, 1, 1, 9, 0, 0);
        for (var i = 0; i < rows; i++)
        {
            var m = members[(int)((i * 7919L) % members.Count)];
            var client = (i % 3) switch
            {
                0 => m.ClientId.ToString(CultureInfo.InvariantCulture),
                1 => m.Ledger + ":" + m.LedgerId,
                _ => m.TaxId ?? m.ClientId.ToString(CultureInfo.InvariantCulture),
            };
            var at = start.AddMinutes(i * 7).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
            csv.WriteRecord(client, kinds[i % kinds.Length], at, $"Обсуждение; заказ {i}", $"Менеджер {i % 25}", "перезвонить");
        }
    }

    private static double BareInsert(string store, int rows)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={store}");
        connection.Open();
        using var tx = connection.BeginTransaction();
        for (var i = 0; i < rows; i++)
        {
            connection.Execute(
                "INSERT INTO activities (activity_id, plugin_id, kind, subject, ledger, counterparty_id, recorded_at, client_id, manager, outcome, occurred_at, source) " +
                "VALUES (@id, 'crmx', 'call', @subject, 'main', '1', '2026-01-01T00:00:00.000Z', 1, 'Менеджер', 'перезвонить', '2026-01-01T00:00:00.000Z', 'bench')",
                new { id = "bench" + i.ToString(CultureInfo.InvariantCulture), subject = "Обсуждение; заказ " + i.ToString(CultureInfo.InvariantCulture) }, tx);
        }

        tx.Commit();
        return clock.Elapsed.TotalSeconds;
    }
}

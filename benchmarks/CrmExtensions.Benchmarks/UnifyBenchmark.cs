using System.Diagnostics;
using System.Globalization;
using CrmExtensions.Samples;
using Dapper;
using Microsoft.Data.Sqlite;

/// <summary><c>crmx unify</c> on a large sample, beside the time of just reading its input from the store.</summary>
internal static class UnifyBenchmark
{
    public static int Run(int counterparties, int runs, string work, string crmx)
    {
        var ledgerDir = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"unify-ledger-{counterparties}"));
        var storeDir = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"unify-store-{counterparties}"));
        var synced = Path.Combine(storeDir, "synced.db");
        if (!File.Exists(synced))
        {
            Console.WriteLine($"generating {counterparties:N0} counterparties and syncing their counterparties and contacts → {storeDir}");
            SampleLedger.Generate(ledgerDir, new SampleLedgerOptions { Counterparties = counterparties, InvoicesPerCounterparty = 0, Seed = 1, AsOf = new DateOnly(2026, 6, 30) });
            Directory.CreateDirectory(storeDir);
            // Unification reads counterparties and contacts (for directors) only: map just those.
            var mapping = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(ledgerDir, SampleLedger.MappingFileName)),
                documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
            mapping.Remove("invoices");
            mapping.Remove("payments");
            File.WriteAllText(Path.Combine(storeDir, "unify.map.json"), mapping.ToJsonString());
            File.WriteAllText(Path.Combine(storeDir, "crmx.json"), $$"""
                { "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source={{Path.Combine(ledgerDir, "main.db")}}", "mapping": "unify.map.json" } ],
                  "store": { "provider": "sqlite", "connectionString": "Data Source=synced.db" } }
                """);
            Crmx(crmx, storeDir, "sync");
        }

        // The same ledger with 1% of its counterparties changed: a quarter each renamed, moved, vanished and duplicated.
        var changedLedger = Path.Combine(storeDir, "changed-ledger.db");
        File.Copy(Path.Combine(ledgerDir, "main.db"), changedLedger, overwrite: true);
        var changed = ChangeOnePercent(changedLedger);
        File.WriteAllText(Path.Combine(storeDir, "run-changed.json"), $$"""
            { "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source={{changedLedger}}", "mapping": "unify.map.json" } ],
              "store": { "provider": "sqlite", "connectionString": "Data Source=run.db" } }
            """);

        var baseline = new List<(double Seconds, double Cpu)>();
        var unify = new List<(double Seconds, double MiB, double Cpu)>();
        var incremental = new List<(double Seconds, double MiB, double Cpu)>();
        for (var run = 1; run <= runs; run++)
        {
            baseline.Add(BareRead(synced));
            var copy = Path.Combine(storeDir, "run.db");
            File.Copy(synced, copy, overwrite: true);
            File.WriteAllText(Path.Combine(storeDir, "run.json"), """{ "ledgers": [], "store": { "provider": "sqlite", "connectionString": "Data Source=run.db" } }""");
            var clock = Stopwatch.StartNew();
            var cpu = Bench.ChildrenCpuSeconds();
            var output = Crmx(crmx, storeDir, "unify", "--stats", "--config", "run.json");
            var seconds = clock.Elapsed.TotalSeconds;
            var peak = Bench.PeakMiB(output);
            unify.Add((seconds, peak, Bench.ChildrenCpuSeconds() - cpu));
            if (run == 1)
            {
                Console.Write(output);
            }

            // The second run, after a sync of the changed ledger: incremental, with the model the first run kept.
            Crmx(crmx, storeDir, "sync", "--config", "run-changed.json");
            clock.Restart();
            cpu = Bench.ChildrenCpuSeconds();
            var second = Crmx(crmx, storeDir, "unify", "--stats", "--config", "run-changed.json");
            incremental.Add((clock.Elapsed.TotalSeconds, Bench.PeakMiB(second), Bench.ChildrenCpuSeconds() - cpu));
            if (run == 1)
            {
                Console.Write(second[..second.IndexOf("match model", StringComparison.Ordinal)]);
            }

            Console.WriteLine($"run {run}: bare Dapper read of the input {baseline[^1].Seconds:0.0} s (cpu {baseline[^1].Cpu:0.0} s); " +
                $"crmx unify {seconds:0.0} s (cpu {unify[^1].Cpu:0.0} s), peak {peak:N0} MiB; after {changed:N0} counterparties changed and a sync, " +
                $"crmx unify {incremental[^1].Seconds:0.0} s (cpu {incremental[^1].Cpu:0.0} s), peak {incremental[^1].MiB:N0} MiB");
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs, {counterparties:N0} counterparties, {Environment.ProcessorCount} cores:");
        Console.WriteLine($"  bare Dapper read of counterparties and contacts from the store: {Bench.Median(baseline.Select(b => b.Seconds)):0.0} s (cpu {Bench.Median(baseline.Select(b => b.Cpu)):0.0} s)");
        Console.WriteLine($"  crmx unify (process start to exit, first run on the store)      : {Bench.Median(unify.Select(u => u.Seconds)):0.0} s (cpu {Bench.Median(unify.Select(u => u.Cpu)):0.0} s), peak memory {Bench.Median(unify.Select(u => u.MiB)):N0} MiB");
        Console.WriteLine($"  crmx unify again after {changed:N0} changed and a sync (incremental): {Bench.Median(incremental.Select(u => u.Seconds)):0.0} s (cpu {Bench.Median(incremental.Select(u => u.Cpu)):0.0} s), peak memory {Bench.Median(incremental.Select(u => u.MiB)):N0} MiB");
        return 0;
    }

    /// <summary>Changes 1% of the ledger's counterparties, stamped as changed so that a watermark sync reads them: a quarter
    /// renamed, a quarter given another address, a quarter deleted, and as many new rows, each a duplicate of another row.</summary>
    /// <returns>The rows changed, added or deleted.</returns>
    private static int ChangeOnePercent(string ledger)
    {
        using var connection = new SqliteConnection($"Data Source={ledger};Pooling=False");
        connection.Open();
        const string Table = "[Справочник Контрагенты]";
        const string Stamp = "[Изменено] = '2999-01-01 00:00:00'";
        var changed = connection.Execute($"UPDATE {Table} SET [Наименование] = [Наименование] || ' Плюс', {Stamp} WHERE rowid % 400 = 1");
        changed += connection.Execute($"UPDATE {Table} SET [ЮрАдрес] = COALESCE([ЮрАдрес], '') || ', оф. 9', {Stamp} WHERE rowid % 400 = 101");
        changed += connection.Execute($"DELETE FROM {Table} WHERE rowid % 400 = 201");
        changed += connection.Execute($"INSERT INTO {Table} ([Код], [Наименование], [ЮрАдрес], [Город], [КодРегиона], [Страна], [Телефон], [ЭлПочта], [Изменено]) " +
            $"SELECT 'N' || TRIM([Код]), [Наименование], [ЮрАдрес], [Город], [КодРегиона], [Страна], [Телефон], [ЭлПочта], '2999-01-01 00:00:00' FROM {Table} WHERE rowid % 400 = 301");
        return changed;
    }

    /// <summary>The bare read's wall and CPU seconds (this process's, user and system).</summary>
    private static (double Seconds, double Cpu) BareRead(string database)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        long rows = 0;
        foreach (var _ in connection.Query("SELECT ledger, ledger_id, name, tax_id, branch_code, registration_number, parent_ledger_id, address, city, region, country, phone, email, website, manager FROM mirror_counterparties WHERE vanished_at IS NULL", buffered: false))
        {
            rows++;
        }

        foreach (var _ in connection.Query("SELECT ledger, counterparty_id, full_name, position FROM mirror_contacts WHERE vanished_at IS NULL AND position IS NOT NULL", buffered: false))
        {
            rows++;
        }

        return (clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static string Crmx(string crmx, string folder, params string[] args) => Bench.Crmx(crmx, folder, args);
}

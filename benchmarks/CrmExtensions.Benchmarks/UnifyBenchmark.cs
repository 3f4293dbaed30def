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

        var baseline = new List<double>();
        var unify = new List<(double Seconds, double MiB)>();
        for (var run = 1; run <= runs; run++)
        {
            baseline.Add(BareRead(synced));
            var copy = Path.Combine(storeDir, "run.db");
            File.Copy(synced, copy, overwrite: true);
            File.WriteAllText(Path.Combine(storeDir, "run.json"), """{ "ledgers": [], "store": { "provider": "sqlite", "connectionString": "Data Source=run.db" } }""");
            var clock = Stopwatch.StartNew();
            var output = Crmx(crmx, storeDir, "unify", "--stats", "--config", "run.json");
            var seconds = clock.Elapsed.TotalSeconds;
            var peak = Bench.PeakMiB(output);
            unify.Add((seconds, peak));
            if (run == 1)
            {
                Console.Write(output);
            }

            Console.WriteLine($"run {run}: bare Dapper read of the input {baseline[^1]:0.0} s; crmx unify {seconds:0.0} s, peak {peak:N0} MiB");
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs, {counterparties:N0} counterparties, {Environment.ProcessorCount} cores:");
        Console.WriteLine($"  bare Dapper read of counterparties and contacts from the store: {Bench.Median(baseline):0.0} s");
        Console.WriteLine($"  crmx unify (process start to exit, first run on the store)      : {Bench.Median(unify.Select(u => u.Seconds)):0.0} s, peak memory {Bench.Median(unify.Select(u => u.MiB)):N0} MiB");
        return 0;
    }

    private static double BareRead(string database)
    {
        var clock = Stopwatch.StartNew();
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

        return clock.Elapsed.TotalSeconds;
    }

    private static string Crmx(string crmx, string folder, params string[] args) => Bench.Crmx(crmx, folder, args);
}

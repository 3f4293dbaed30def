using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CrmExtensions.Samples;
using Dapper;
using Microsoft.Data.Sqlite;

/// <summary><c>crmx reminders run</c> over a large synced and unified store: the first evaluation (everything new) and a re-evaluation (nothing new), beside a bare read of what the rules read.</summary>
internal static partial class RemindersBenchmark
{
    internal static readonly DateOnly AsOf = new(2026, 6, 30);

    /// <summary>The as-of day as the store keeps days and <c>--date</c> takes them.</summary>
    private static readonly string AsOfText = AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static int Run(int counterparties, double invoices, int runs, string work, string crmx, string? plugins, string rules, bool catchUp, string? isolation = null)
    {
        var (storeDir, synced) = Prepare(counterparties, invoices, work, crmx);

        // Any plugins folder; else a test plugin: 'engine' (BenchReminders) streams every overdue invoice through ICrmReader
        // into one task each, the engine's own cost; 'mail' (Reminders) also reads each invoice's counterparty and adds a
        // dunning reminder whose mail is rendered and queued.
        var pluginsDir = plugins ?? InstallTestPlugin(storeDir, rules == "mail" ? "Reminders" : "BenchReminders");
        File.WriteAllText(Path.Combine(storeDir, "run.json"), $$"""
            { "ledgers": [], "store": { "provider": "sqlite", "connectionString": "Data Source=run.db" },
              "plugins": { "directory": "{{pluginsDir.Replace("\\", "/", StringComparison.Ordinal)}}"{{(isolation is null ? "" : $", \"isolation\": \"{isolation}\"")}} }, "reminders": { "timeZone": "Europe/Moscow" } }
            """);
        var baseline = new List<double>();
        var first = new List<(double Seconds, double MiB, long New, double Cpu, double TreeCpu)>();
        var again = new List<(double Seconds, double MiB, long New, double Cpu, double TreeCpu)>();
        for (var run = 1; run <= runs; run++)
        {
            var (seconds, overdue) = BareRead(synced);
            baseline.Add(seconds);
            FreshCopy(synced, Path.Combine(storeDir, "run.db"), stamp: !catchUp);
            first.Add(Evaluate(crmx, storeDir, run == 1));
            again.Add(Evaluate(crmx, storeDir, run == 1));
            Console.WriteLine($"run {run}: bare read of {overdue:N0} overdue invoices with their counterparties {seconds:0.0} s; " +
                $"first evaluation {first[^1].Seconds:0.0} s (cpu {first[^1].Cpu:0.0} s, {first[^1].New:N0} new, peak {first[^1].MiB:N0} MiB); re-evaluation {again[^1].Seconds:0.0} s (cpu {again[^1].Cpu:0.0} s, {again[^1].New:N0} new)");
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs, {counterparties:N0} counterparties, rules '{plugins ?? rules}', isolation {isolation ?? "crmx's default"}, {Environment.ProcessorCount} cores, SQLite store" +
            (catchUp ? ", evaluated as of a day months before the sync (catch-up):" : ":"));
        Console.WriteLine($"  bare Dapper read of the overdue invoices and their counterparties: {Bench.Median(baseline):0.0} s");
        Console.WriteLine($"  crmx reminders run, first evaluation (every reminder new)       : {Bench.Median(first.Select(f => f.Seconds)):0.0} s (cpu {Bench.Median(first.Select(f => f.Cpu)):0.0} s), peak memory {Bench.Median(first.Select(f => f.MiB)):N0} MiB");
        Console.WriteLine($"  crmx reminders run, re-evaluation (nothing new)                 : {Bench.Median(again.Select(f => f.Seconds)):0.0} s (cpu {Bench.Median(again.Select(f => f.Cpu)):0.0} s), peak memory {Bench.Median(again.Select(f => f.MiB)):N0} MiB");
        return 0;
    }

    /// <summary>A synced and unified store of a sample ledger (made once, kept in the work folder).</summary>
    /// <returns>Its folder and the store's file.</returns>
    internal static (string StoreDir, string Synced) Prepare(int counterparties, double invoices, string work, string crmx)
    {
        var ledgerDir = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"ledger-{counterparties}-{invoices}"));
        var storeDir = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"reminders-store-{counterparties}-{invoices}"));
        var synced = Path.Combine(storeDir, "synced.db");
        if (!File.Exists(synced))
        {
            if (!File.Exists(Path.Combine(ledgerDir, "main.db")))
            {
                Console.WriteLine($"generating {counterparties:N0} counterparties, {invoices} invoices each → {ledgerDir}");
                SampleLedger.Generate(ledgerDir, new SampleLedgerOptions { Counterparties = counterparties, InvoicesPerCounterparty = invoices, Seed = 1, AsOf = AsOf });
            }

            Console.WriteLine($"syncing into {synced}");
            Directory.CreateDirectory(storeDir);
            File.WriteAllText(Path.Combine(storeDir, "crmx.json"), $$"""
                { "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source={{Path.Combine(ledgerDir, "main.db")}}", "mapping": "{{Path.Combine(ledgerDir, SampleLedger.MappingFileName)}}" } ],
                  "store": { "provider": "sqlite", "connectionString": "Data Source=synced.db" } }
                """);
            Bench.Crmx(crmx, storeDir, "sync");
        }

        // Rules such as the shipped Lifecycle and Receivables work per unified client: the store they see is unified.
        var unified = Path.Combine(storeDir, "unified");
        if (!File.Exists(unified))
        {
            Console.WriteLine($"unifying {synced}");
            Bench.Crmx(crmx, storeDir, "unify");
            File.WriteAllText(unified, "");
        }

        return (storeDir, synced);
    }

    /// <summary>Copies the synced store to <paramref name="target"/> (replacing it), stamped as synced on the as-of day unless told not to.</summary>
    internal static void FreshCopy(string synced, string target, bool stamp = true)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(target + suffix);
        }

        File.Copy(synced, target);
        if (stamp)
        {
            StampSyncedOnAsOfDay(target);
        }
    }

    /// <summary>
    /// The store was synced today, so it saw every settled invoice settled today, months after the ledger's as-of day: the
    /// rules, looking back to that day, would weigh every settled invoice against its payments (a catch-up). A host
    /// evaluates the day it syncs: stamp the settlements as seen on the as-of day, as a daily sync would have.
    /// </summary>
    private static void StampSyncedOnAsOfDay(string database)
    {
        // Not pooled: a pooled connection would keep the previous run's deleted file open and be handed out again.
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        connection.Execute("UPDATE mirror_invoices SET settled_on = @day WHERE settled_on > @day", new { day = AsOfText });
    }

    private static (double Seconds, long Rows) BareRead(string database)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        long rows = 0;
        foreach (var _ in connection.Query(
            "SELECT i.ledger, i.ledger_id, i.counterparty_id, i.number, i.issued_on, i.due_on, i.amount, i.paid_amount, c.name, c.manager FROM mirror_invoices i " +
            "LEFT JOIN mirror_counterparties c ON c.ledger = i.ledger AND c.ledger_id = i.counterparty_id " +
            "WHERE i.settled_on IS NULL AND i.vanished_at IS NULL AND i.due_on IS NOT NULL AND i.due_on < @today",
            new { today = AsOfText }, buffered: false))
        {
            rows++;
        }

        return (clock.Elapsed.TotalSeconds, rows);
    }

    /// <summary>Runs <c>crmx reminders run --stats</c> for the as-of day with <paramref name="config"/>, in <paramref name="folder"/>.</summary>
    /// <returns>Wall time, peak memory, new reminders, crmx's own CPU (its --stats line) and the CPU of crmx with every
    /// process it started and waited for (its plugin workers).</returns>
    internal static (double Seconds, double MiB, long New, double Cpu, double TreeCpu) Evaluate(string crmx, string folder, bool show, string config = "run.json")
    {
        var clock = Stopwatch.StartNew();
        var cpu = Bench.ChildrenCpuSeconds();
        var output = Bench.Crmx(crmx, folder, "reminders", "run", "--date", AsOfText, "--stats", "--config", config);
        var seconds = clock.Elapsed.TotalSeconds;
        var treeCpu = Bench.ChildrenCpuSeconds() - cpu;
        if (show)
        {
            Console.Write(output);
        }

        return (seconds, Bench.PeakMiB(output), long.Parse(NewCount().Match(output).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture),
            double.Parse(Cpu().Match(output).Groups[1].Value, CultureInfo.InvariantCulture), treeCpu);
    }

    private static string InstallTestPlugin(string storeDir, string name)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "CrmExtensions.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run the benchmark from the repository, or pass --plugins DIR.");
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var source = Path.Combine(root, "tests", "TestPlugins", "bin", configuration, name);
        var target = Path.Combine(storeDir, "plugins-" + name, name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }

        return Path.Combine(storeDir, "plugins-" + name);
    }

    [GeneratedRegex(@", cpu ([\d.]+) s")]
    private static partial Regex Cpu();

    [GeneratedRegex(@"rules?; ([\d,]+) new")]
    private static partial Regex NewCount();
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CrmExtensions.Reports.Catalog;
using CrmExtensions.Reports.Dossier;
using CrmExtensions.Samples;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Providers;
using Dapper;
using Npgsql;

/// <summary>
/// The built-in reports and the client dossier on a large store, each beside a baseline measured in the same run.
/// The store (a synced and unified sample ledger) is built once and kept in the work folder.
/// </summary>
internal static class ReportBenchmark
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);
    private static readonly ReportRequest Request = new() { From = AsOf.AddYears(-1).AddDays(1), To = AsOf, AsOf = AsOf, Top = 20 };

    /// <summary>Builds (once) a SQLite store of a synced and unified sample ledger; returns it.</summary>
    internal static CrmStore Prepare(int counterparties, string work, string crmx) => Prepare(counterparties, work, crmx, postgres: null);

    /// <summary>
    /// Builds (once) a store of a synced and unified sample ledger, SQLite in the work folder or, given a PostgreSQL
    /// connection string, in the database <c>crmx_bench_report_N</c> of that server; returns it. Both are built the same
    /// way, by <c>crmx sync</c> and <c>crmx unify</c> of the one generated ledger kept in the work folder.
    /// </summary>
    /// <remarks>A store is complete when it is there under its name: the SQLite file, or the PostgreSQL database, which
    /// is built under the name <c>…_building</c> (dropped and built again if a build was cut short) and renamed at the end.</remarks>
    internal static CrmStore Prepare(int counterparties, string work, string crmx, string? postgres)
    {
        var folder = Folder(counterparties, work);
        if (postgres is null)
        {
            var database = Path.Combine(folder, "crm.db");
            if (!File.Exists(database))
            {
                Build(counterparties, folder, folder, "ledger", new { provider = "sqlite", connectionString = "Data Source=crm.db" }, crmx);
            }

            var sqlite = new CrmStore(DatabaseProvider.Sqlite, "Data Source=" + database, TimeProvider.System);
            sqlite.Migrate();
            return sqlite;
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"crmx_bench_report_{counterparties}");
        var server = new NpgsqlConnectionStringBuilder(postgres);
        if (!DatabaseExists(server, name))
        {
            var building = name + "_building";
            Admin(server, $"DROP DATABASE IF EXISTS {building}");
            Admin(server, $"CREATE DATABASE {building}");
            var target = new NpgsqlConnectionStringBuilder(postgres) { Database = building };
            Build(counterparties, folder, folder + "-postgres", Path.Combine(folder, "ledger"), new { provider = "postgres", connectionString = target.ConnectionString }, crmx);
            Admin(server, $"ALTER DATABASE {building} RENAME TO {name}");
        }

        var store = new CrmStore(DatabaseProvider.PostgreSql, new NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString, TimeProvider.System);
        store.Migrate();
        return store;
    }

    /// <summary>Generates the sample ledger into <paramref name="folder"/> unless it is there, then syncs and unifies it
    /// into <paramref name="storeConfig"/> by <c>crmx</c> run in <paramref name="home"/>.</summary>
    private static void Build(int counterparties, string folder, string home, string ledger, object storeConfig, string crmx)
    {
        Console.WriteLine($"building a store of {counterparties:N0} counterparties (3 invoices each) from {folder}: generate (unless there), sync, unify");
        var clock = Stopwatch.StartNew();
        if (!File.Exists(Path.Combine(folder, "ledger", "main.db")))
        {
            SampleLedger.Generate(Path.Combine(folder, "ledger"), new SampleLedgerOptions { Counterparties = counterparties, InvoicesPerCounterparty = 3, Seed = 1, AsOf = AsOf });
        }

        Directory.CreateDirectory(home);
        var config = new
        {
            ledgers = new[] { new { name = "main", provider = "sqlite", connectionString = $"Data Source={ledger}/main.db", mapping = $"{ledger}/{SampleLedger.MappingFileName}" } },
            store = storeConfig,
        };
        File.WriteAllText(Path.Combine(home, "crmx.json"), JsonSerializer.Serialize(config));
        Bench.Crmx(crmx, home, "sync");
        Console.WriteLine($"synced in {clock.Elapsed.TotalSeconds:0} s");
        Bench.Crmx(crmx, home, "unify");
        Console.WriteLine($"built in {clock.Elapsed.TotalSeconds:0} s");
    }

    private static bool DatabaseExists(NpgsqlConnectionStringBuilder server, string name)
    {
        using var connection = new NpgsqlConnection(server.ConnectionString);
        return connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", new { name });
    }

    private static void Admin(NpgsqlConnectionStringBuilder server, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Execute(sql);
    }

    /// <summary>Where <see cref="Prepare(int, string, string)"/> keeps the SQLite store, its <c>crmx.json</c> and the ledger both stores are built from.</summary>
    internal static string Folder(int counterparties, string work) => Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"report-{counterparties}"));

    internal static (double Seconds, double CpuSeconds) Time(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (seconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    public static int Reports(int counterparties, int runs, string? only, string work, string crmx, string? postgres)
    {
        var store = Prepare(counterparties, work, crmx, postgres);
        using (var connection = store.Open())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store: {connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties"):N0} counterparties, {connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_invoices"):N0} invoices, {connection.ExecuteScalar<long>("SELECT COUNT(*) FROM clients WHERE retired_at IS NULL"):N0} clients"));
        }

        // As each cycle of 'crmx run' does: the managers report reads the clients' managers from the directory when it is current.
        var directory = Time(() => new ClientDirectory(store).Refresh());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"client directory made current: {directory.Seconds:0.00} s (as each cycle of crmx run does)"));

        var reports = ReportCatalog.BuiltIns(store).Where(r => only is null || r.Name.Contains(only, StringComparison.Ordinal)).ToList();
        var times = reports.ToDictionary(r => r.Name, _ => new List<(double Seconds, double Cpu)>());
        var baseline = new List<(double Seconds, double Cpu)>();
        for (var run = 1; run <= runs; run++)
        {
            // The baseline: one pass summing the range's invoices (in the base currency, what every total sums), the least
            // any revenue report must read.
            baseline.Add(Time(() =>
            {
                using var connection = store.Open();
                connection.ExecuteScalar<long>("SELECT SUM(base_amount) FROM mirror_invoices WHERE issued_on >= @from AND issued_on <= @to AND vanished_at IS NULL",
                    new { from = "2025-07-01", to = "2026-06-30" });
            }));
            var line = $"run {run}: baseline sum {baseline[^1].Seconds:0.00} s";
            foreach (var report in reports)
            {
                times[report.Name].Add(Time(() => report.RunAsync(Request, CancellationToken.None).GetAwaiter().GetResult()));
                line += $"; {report.Name} {times[report.Name][^1].Seconds:0.00} s (cpu {times[report.Name][^1].Cpu:0.00} s)";
            }

            Console.WriteLine(line);
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs, {counterparties:N0} counterparties, {store.Provider}, {Environment.ProcessorCount} cores, load average {LoadAverage()}:");
        Console.WriteLine($"  {"baseline: sum of the range's invoices",-40} {Bench.Median(baseline.Select(b => b.Seconds)),6:0.00} s wall, {Bench.Median(baseline.Select(b => b.Cpu)),6:0.00} s cpu");
        foreach (var report in reports)
        {
            Console.WriteLine($"  {"crmx report " + report.Name,-40} {Bench.Median(times[report.Name].Select(t => t.Seconds)),6:0.00} s wall, {Bench.Median(times[report.Name].Select(t => t.Cpu)),6:0.00} s cpu");
        }

        return 0;
    }

    public static int Dossier(int counterparties, int runs, string work, string crmx, string? postgres)
    {
        var store = Prepare(counterparties, work, crmx, postgres);
        var clientId = FiftyEntityClient(store);
        var clients = new ClientStore(store);
        var client = clients.FindClients(clientId.ToString(CultureInfo.InvariantCulture)).Single();
        var reader = new DossierReader(store);
        var dossier = reader.Read(client, AsOf);
        Console.WriteLine($"client {clientId}: {dossier.Entities.Select(e => e.LegalEntity).Distinct().Count()} legal entities, {dossier.Entities.Count} ledger rows, " +
            $"{dossier.Invoices.Invoices} invoices, {dossier.Payments.Payments} payments, {dossier.Contacts.Count} contacts");
        var baseline = new List<double>();
        var times = new List<double>();
        for (var run = 1; run <= runs * 10; run++)
        {
            // The baseline: what 'crmx clients show' read before the dossier, the client's members with their names.
            baseline.Add(Time(() => clients.Members(clientId)).Seconds * 1000);
            times.Add(Time(() => reader.Read(client, AsOf)).Seconds * 1000);
        }

        Console.WriteLine($"median of {times.Count} reads, {counterparties:N0} counterparties, {store.Provider}, {Environment.ProcessorCount} cores, load average {LoadAverage()}:");
        Console.WriteLine($"  baseline: the client's members with names   {Bench.Median(baseline),7:0.0} ms");
        Console.WriteLine($"  dossier (every section, 11 queries)         {Bench.Median(times),7:0.0} ms (slowest {times.Max():0.0} ms)");
        return 0;
    }

    /// <summary>
    /// A client of 50 legal entities: the sample has none so large, so once per store the members of 49 single-entity
    /// clients with invoices are moved onto a 50th (each keeps its own legal entity). Report totals do not change.
    /// </summary>
    internal static long FiftyEntityClient(CrmStore store)
    {
        using var connection = store.Open();
        var existing = connection.ExecuteScalar<long?>("SELECT client_id FROM clients WHERE legal_entities >= 50 AND retired_at IS NULL ORDER BY client_id LIMIT 1");
        if (existing is { } id)
        {
            return id;
        }

        var picked = connection.Query<long>(
            "SELECT c.client_id FROM clients c WHERE c.legal_entities = 1 AND c.retired_at IS NULL AND EXISTS (SELECT 1 FROM client_members m " +
            "JOIN mirror_invoices i ON i.ledger = m.ledger AND i.counterparty_id = m.ledger_id WHERE m.client_id = c.client_id) ORDER BY c.client_id LIMIT 50").AsList();
        var target = picked[0];
        // The ids written out, not a list parameter: Dapper sends a list to PostgreSQL as one array, which IN does not take.
        var others = "(" + string.Join(", ", picked.Skip(1).Select(o => o.ToString(CultureInfo.InvariantCulture))) + ")";
        using var tx = connection.BeginTransaction();
        connection.Execute("UPDATE client_members SET client_id = @target WHERE client_id IN " + others, new { target }, tx);
        connection.Execute("UPDATE clients SET legal_entities = 50, members = (SELECT COUNT(*) FROM client_members WHERE client_id = @target) WHERE client_id = @target", new { target }, tx);
        connection.Execute("UPDATE clients SET retired_at = '2026-06-30T00:00:00.000Z', merged_into = @target WHERE client_id IN " + others, new { target }, tx);
        // Their money follows them, as unification's writer would move it.
        connection.Execute("UPDATE mirror_invoices SET client_id = @target WHERE client_id IN " + others, new { target }, tx);
        connection.Execute("UPDATE mirror_payments SET client_id = @target WHERE client_id IN " + others, new { target }, tx);
        tx.Commit();
        return target;
    }

    internal static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}

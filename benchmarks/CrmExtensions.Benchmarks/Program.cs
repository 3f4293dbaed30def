using System.Diagnostics;
using System.Globalization;
using CrmExtensions.Samples;
using Dapper;
using Microsoft.Data.Sqlite;

// Benchmarks measured against a baseline in the same run: these machines are shared and noisy, so only
// medians of several runs, side by side with the baseline, mean anything.
var arguments = args.ToList();
string Option(string name, string fallback)
{
    var i = arguments.IndexOf("--" + name);
    return i >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : fallback;
}

if (arguments.Count == 0 || arguments[0] is "--help" or "-h")
{
    Console.WriteLine("""
        Usage: dotnet run -c Release --project benchmarks/CrmExtensions.Benchmarks -- sync|unify|reminders|workers|report|dossier|campaign|directory|myday|web|er|activity-import|smtp|render [options]

        sync: generate a sample ledger (cached in the work folder), then per run: read its mapped rows with a bare
              Dapper query (the baseline), and 'crmx sync' them into an empty SQLite store in a child process.
              Prints every run and the medians: wall and CPU time, and peak memory.

        unify: sync a sample ledger's counterparties and contacts into a store once, then per run: read those rows from
              the store with a bare Dapper query (the baseline), and 'crmx unify --stats' on a fresh copy of the store
              in a child process. Prints every run and the medians: wall time and peak memory.

        reminders: sync a sample ledger into a store once, then per run: read the overdue invoices and their
              counterparties with a bare Dapper query (the baseline), and 'crmx reminders run' twice on a fresh copy of
              the store in a child process: the first evaluation (every reminder new) and a re-evaluation (nothing new).
              --rules engine (default: one task per overdue invoice) or mail (a call task reading the counterparty, and a
              dunning reminder with a rendered mail), or --plugins DIR for any plugins folder. --invoices default 1.
              The store is evaluated as if synced on the ledger's as-of day; --catch-up keeps the settlements as the
              sync saw them today, months later, so the rules look back (a host catching up).

        workers: on the reminders benchmark's store (synced and unified once), per run and for each isolation
              ('plugins:isolation' "inprocess", then "process", the order alternating by run): 'crmx reminders run' of
              the shipped plugins twice on a fresh copy of the store (first evaluation and re-evaluation), then the
              stage guards of one deal's move asked --guards times (default 200, after 10 to warm up) by one runtime
              kept for the run, as the web keeps it, and Receivables' dunning report --reports times (default 5, after
              one to warm up) by the same runtime. Then --warm re-evaluations (default 2) by one runtime kept warm, as
              'crmx run' keeps it between cycles (a child process evaluates once to start the workers, then times
              these). Prints every run, the medians with the workers' overhead, the guards' p50 and p95 and the
              report's median in milliseconds.

        report: build (once, kept in the work folder) a store of a synced and unified sample ledger, then per run:
              sum the year's invoices with one bare query (the baseline) and run each built-in report in-process
              (pareto, aging, managers, dynamics; --only TEXT for those whose name contains it). Prints every run and the
              medians: wall and CPU time.

        dossier: on the same store, make one client of 50 legal entities (once), then read its dossier ten times per
              run beside the baseline of reading its members. Prints the median latency in milliseconds.

              report and dossier take --postgres "CONNECTION STRING": the store is then built (once, by the same crmx
              sync and unify of the same ledger) in the database crmx_bench_report_N of that server, and measured there.

        campaign: on the same store (default 150,000 counterparties), per run: read every client's head address and
              insert one outbox row each in one transaction (the baseline: nothing rendered), then 'crmx campaign send'
              of the sample statement pack (--pack DIR for another) to every client, rendered and queued, on a fresh
              copy of the store in a child process. Prints every run and the medians: wall and CPU time.

        directory: on the same store, the web client list (ClientDirectory): computing it (after a change), then per run
              20 pages of each kind — the first page, a page deep in, a name search, an INN search, a phone search and
              the filter "class A, overdue" — beside a bare keyset page of the clients table (the baseline). Prints
              p50 and p95 in milliseconds per kind.

        myday: on the same store, "my day"'s birthdays (every client, and one manager's) on 20 days of the year per
              run, looked up by month and day (birthday_md), beside the statements as they were before (birthday LIKE
              '%-MM-dd', the baseline); checks both list the same people and prints the statements' query plans.
              Prints the median latency and CPU in milliseconds.

        web:  on the same store, with a director signed in over HTTP to the web workspace on Kestrel (in-process, on a
              free loopback port), 10 s of each kind to warm up, then --requests of each kind per run (default 200): a
              search by part of a name and by an INN, the list filtered to class A and overdue, and the client card of
              clients of every size and of a 50-entity client; each request beside the bare SQL of the same question
              (the directory's statement, the dossier's and the timeline's). Prints p50 and p95 in milliseconds per
              kind, the bare ones and the ratio.

        er:   load each labelled set of ../shared/data/er into a SQLite ledger, attach it with its mapping file from
              samples/mappings/er, run 'crmx sync' and 'crmx unify', and score the clients against the labels:
              pairwise precision, recall and F1 per data set, beside the naive exact-name baseline's.

        activity-import: sync and unify a sample ledger once, write a CSV of activities naming clients by id, INN and
              ledger key, then per run: insert as many rows with a bare Dapper loop (the baseline), and
              'crmx activity import' the CSV into a fresh copy of the store in a child process (default 100,000 rows
              on 20,000 counterparties; --rows N).

        smtp: per run, send the same mails to a local SMTP server (smtp-sink, started here unless --smtp HOST:PORT)
              with bare MailKit over one connection (the baseline), then enqueue them into an empty SQLite store's
              outbox and dispatch them end to end (claims, leases, per-mail state, unsubscribe links). Messages/s.

        render: renders per second of a typical reminder mail (the sample 'statement' pack, Russian, three invoices),
              one thread, against a StringBuilder writing the same subject and text (the baseline), per run of
              --seconds (default 2); --pack DIR for another pack with the same model (default samples/campaigns/statement).

        Options:
          --messages N         smtp: mails per run (default 5000)
          --smtp HOST:PORT     smtp: an SMTP server to use instead of starting smtp-sink
          --counterparties N   ledger size (default 1000000)
          --invoices X         invoices per counterparty (default 3)
          --runs N             runs (default 3)
          --requests N         web: requests of each kind per run (default 200)
          --only TEXT          web: only the kinds of request whose name contains TEXT ("card", "search");
                               report: only the reports whose name contains TEXT ("managers")
          --work DIR           work folder (default: bench-work under the current folder)
          --postgres CS        report, dossier: build and measure the store on this PostgreSQL server (the role creates databases)
          --plugins DIR        reminders: the plugins folder to evaluate
          --catch-up           reminders: evaluate as of a day months before the sync
          --isolation NAME     reminders: the plugins' isolation, "inprocess" or "process" (default: crmx's, "process")
          --guards N           workers: deal moves whose guards are timed per run and isolation (default 200)
          --reports N          workers: runs of the dunning report timed per run and isolation (default 5)
        """);
    return 0;
}

if (arguments[0] == "smtp")
{
    return SmtpBenchmark.Run(arguments.Contains("--smtp") ? Option("smtp", "") : null, int.Parse(Option("messages", "5000"), CultureInfo.InvariantCulture),
        int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture), Path.GetFullPath(Option("work", "bench-work")));
}

if (arguments[0] == "render")
{
    return RenderBenchmark.Run(Path.GetFullPath(Option("pack", Path.Combine("samples", "campaigns", "statement"))),
        int.Parse(Option("runs", "5"), CultureInfo.InvariantCulture), double.Parse(Option("seconds", "2"), CultureInfo.InvariantCulture));
}

if (arguments[0] == "er")
{
    return ErBenchmark.Run(Path.GetFullPath(Option("work", "bench-work")), Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
}

if (arguments[0] == "campaign")
{
    return CampaignBenchmark.Run(int.Parse(Option("counterparties", "150000"), CultureInfo.InvariantCulture), int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture),
        Path.GetFullPath(Option("pack", Path.Combine("samples", "campaigns", "statement"))), Path.GetFullPath(Option("work", "bench-work")), Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
}

if (arguments[0] == "directory")
{
    return DirectoryBenchmark.Run(int.Parse(Option("counterparties", "1000000"), CultureInfo.InvariantCulture), int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture),
        Path.GetFullPath(Option("work", "bench-work")), Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
}

if (arguments[0] == "myday")
{
    return MyDayBenchmark.Run(int.Parse(Option("counterparties", "1000000"), CultureInfo.InvariantCulture), int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture),
        Path.GetFullPath(Option("work", "bench-work")), Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
}

if (arguments[0] == "web")
{
    return WebBenchmark.Run(int.Parse(Option("counterparties", "1000000"), CultureInfo.InvariantCulture), int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture),
        int.Parse(Option("requests", "200"), CultureInfo.InvariantCulture), arguments.Contains("--only") ? Option("only", "") : null, Path.GetFullPath(Option("work", "bench-work")), Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
}

if (arguments[0] is "report" or "dossier")
{
    var size = int.Parse(Option("counterparties", "1000000"), CultureInfo.InvariantCulture);
    var times = int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture);
    var folder = Path.GetFullPath(Option("work", "bench-work"));
    var crmxDll = Path.Combine(AppContext.BaseDirectory, "crmx.dll");
    var postgres = arguments.Contains("--postgres") ? Option("postgres", "") : null;
    var only = arguments.Contains("--only") ? Option("only", "") : null;
    return arguments[0] == "report" ? ReportBenchmark.Reports(size, times, only, folder, crmxDll, postgres) : ReportBenchmark.Dossier(size, times, folder, crmxDll, postgres);
}

if (arguments[0] == "unify")
{
    return UnifyBenchmark.Run(int.Parse(Option("counterparties", "1000000"), CultureInfo.InvariantCulture),
        int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture), Path.GetFullPath(Option("work", "bench-work")), Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
}

if (arguments[0] == "activity-import")
{
    return ActivityImportBenchmark.Run(int.Parse(Option("counterparties", "20000"), CultureInfo.InvariantCulture), int.Parse(Option("rows", "100000"), CultureInfo.InvariantCulture),
        int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture), Path.GetFullPath(Option("work", "bench-work")), Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
}

if (arguments[0] == "workers")
{
    return WorkersBenchmark.Run(int.Parse(Option("counterparties", "1000000"), CultureInfo.InvariantCulture), int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture),
        int.Parse(Option("guards", "200"), CultureInfo.InvariantCulture),
        int.Parse(Option("reports", "5"), CultureInfo.InvariantCulture), int.Parse(Option("warm", "2"), CultureInfo.InvariantCulture),
        Path.GetFullPath(Option("work", "bench-work")), Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
}

if (arguments[0] == "workers-warm")
{
    // The workers benchmark's child: re-evaluations in one runtime kept warm (see WorkersBenchmark.WarmReevaluations).
    return WorkersBenchmark.Warm(Option("folder", "."), Option("config", "crmx.json"), int.Parse(Option("count", "2"), CultureInfo.InvariantCulture));
}

if (arguments[0] == "reminders")
{
    return RemindersBenchmark.Run(int.Parse(Option("counterparties", "1000000"), CultureInfo.InvariantCulture),
        double.Parse(Option("invoices", "1"), CultureInfo.InvariantCulture), int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture),
        Path.GetFullPath(Option("work", "bench-work")), Path.Combine(AppContext.BaseDirectory, "crmx.dll"), Option("plugins", "") is { Length: > 0 } p ? Path.GetFullPath(p) : null, Option("rules", "engine"),
        arguments.Contains("--catch-up"), arguments.Contains("--isolation") ? Option("isolation", "") : null);
}

if (arguments[0] != "sync")
{
    Console.Error.WriteLine($"unknown benchmark '{arguments[0]}'; see --help");
    return 2;
}

var counterparties = int.Parse(Option("counterparties", "1000000"), CultureInfo.InvariantCulture);
var invoices = double.Parse(Option("invoices", "3"), CultureInfo.InvariantCulture);
var runs = int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture);
var work = Path.GetFullPath(Option("work", "bench-work"));
var ledgerDir = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"ledger-{counterparties}-{invoices}"));
var crmx = Path.Combine(AppContext.BaseDirectory, "crmx.dll");

if (!File.Exists(Path.Combine(ledgerDir, "main.db")))
{
    Console.WriteLine($"generating {counterparties:N0} counterparties, {invoices} invoices each → {ledgerDir}");
    var clock = Stopwatch.StartNew();
    SampleLedger.Generate(ledgerDir, new SampleLedgerOptions
    {
        Counterparties = counterparties,
        InvoicesPerCounterparty = invoices,
        Seed = 1,
        AsOf = new DateOnly(2026, 6, 30),
    });
    Console.WriteLine($"generated in {clock.Elapsed.TotalSeconds:0.0} s");
}

var mapping = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(ledgerDir, SampleLedger.MappingFileName)),
    documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
// Every kind the mapping names, as crmx sync reads them all (invoice lines are the most rows of all).
var kinds = mapping.AsObject().Where(k => k.Value?["query"] is not null).Select(k => (Kind: k.Key, Query: (string)k.Value!["query"]!)).ToList();
var queries = kinds.Select(k => k.Query).ToList();
using (var probe = new SqliteConnection($"Data Source={Path.Combine(ledgerDir, "main.db")};Mode=ReadOnly"))
{
    Console.WriteLine("ledger rows: " + string.Join(", ", kinds.Select(k => $"{k.Kind} {probe.ExecuteScalar<long>($"SELECT COUNT(*) FROM ({k.Query})"):N0}")));
}

var baseline = new List<(double Seconds, double Cpu)>();
var sync = new List<(double Seconds, double MiB, double Cpu)>();
for (var run = 1; run <= runs; run++)
{
    baseline.Add(BareRead());
    sync.Add(Sync(run));
    Console.WriteLine($"run {run}: bare Dapper read {baseline[^1].Seconds:0.0} s (cpu {baseline[^1].Cpu:0.0} s); crmx sync {sync[^1].Seconds:0.0} s (cpu {sync[^1].Cpu:0.0} s), peak {sync[^1].MiB:N0} MiB");
}

Console.WriteLine();
Console.WriteLine($"median of {runs} runs on {Environment.ProcessorCount} cores:");
Console.WriteLine($"  bare Dapper read of the mapped rows : {Bench.Median(baseline.Select(b => b.Seconds)):0.0} s (cpu {Bench.Median(baseline.Select(b => b.Cpu)):0.0} s)");
Console.WriteLine($"  crmx sync into an empty SQLite store: {Bench.Median(sync.Select(s => s.Seconds)):0.0} s (cpu {Bench.Median(sync.Select(s => s.Cpu)):0.0} s), peak memory {Bench.Median(sync.Select(s => s.MiB)):N0} MiB");
return 0;

(double, double) BareRead()
{
    // The baseline: the same mapped SELECTs, every row materialised by Dapper, nothing written.
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    long rows = 0;
    using var connection = new SqliteConnection($"Data Source={Path.Combine(ledgerDir, "main.db")};Mode=ReadOnly");
    connection.Open();
    foreach (var query in queries)
    {
        foreach (var _ in connection.Query(query, buffered: false))
        {
            rows++;
        }
    }

    return (clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
}

(double, double, double) Sync(int run)
{
    var folder = Path.Combine(work, "sync-run");
    if (Directory.Exists(folder))
    {
        Directory.Delete(folder, recursive: true);
    }

    Directory.CreateDirectory(folder);
    File.WriteAllText(Path.Combine(folder, "crmx.json"), $$"""
        { "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source={{Path.Combine(ledgerDir, "main.db")}}", "mapping": "{{Path.Combine(ledgerDir, SampleLedger.MappingFileName)}}" } ],
          "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" } }
        """);
    var cpu = Bench.ChildrenCpuSeconds();
    var clock = Stopwatch.StartNew();
    var output = Bench.Crmx(crmx, folder, "sync", "--stats");
    var seconds = clock.Elapsed.TotalSeconds;
    cpu = Bench.ChildrenCpuSeconds() - cpu;
    if (run == 1)
    {
        Console.Write(output);
    }

    return (seconds, Bench.PeakMiB(output), cpu);
}

using System.Diagnostics;
using System.Globalization;
using CrmExtensions.Application;
using CrmExtensions.Application.Reminders;
using CrmExtensions.Runtime;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Store;
using CrmExtensions.Store.Deals;
using CrmExtensions.Store.Providers;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Plugin code in worker processes against in process, in the same run: the shipped plugins' <c>crmx reminders
/// run</c> (first evaluation and re-evaluation) in each isolation, and a warm stage guard's latency and a shipped report's
/// time in each.</summary>
internal static class WorkersBenchmark
{
    private const int GuardWarmUp = 10;

    public static int Run(int counterparties, int runs, int guards, int reports, int warmCount, string work, string crmx)
    {
        var (storeDir, synced) = RemindersBenchmark.Prepare(counterparties, 1, work, crmx);
        var plugins = Path.Combine(AppContext.BaseDirectory, "plugins");
        foreach (var isolation in new[] { "inprocess", "process" })
        {
            File.WriteAllText(Path.Combine(storeDir, $"workers-{isolation}.json"), $$"""
                { "ledgers": [], "store": { "provider": "sqlite", "connectionString": "Data Source=workers-{{isolation}}.db" },
                  "plugins": { "directory": "{{plugins.Replace("\\", "/", StringComparison.Ordinal)}}", "isolation": "{{isolation}}" },
                  "reminders": { "timeZone": "Europe/Moscow" } }
                """);
        }

        // CPU of crmx and of the workers it started, beside wall time: on a shared machine with two cores the workers'
        // overhead is first of all the CPU their processes take (each starts a runtime and compiles the code it runs).
        var results = new Dictionary<string, (List<double> First, List<double> Again, List<double> FirstCpu, List<double> AgainCpu, List<double> Warm, List<double> WarmCpu)>
        {
            ["inprocess"] = ([], [], [], [], [], []), ["process"] = ([], [], [], [], [], []),
        };
        var latencies = new Dictionary<string, List<double>> { ["inprocess"] = [], ["process"] = [] };
        var reportTimes = new Dictionary<string, List<double>> { ["inprocess"] = [], ["process"] = [] };
        var reportRows = 0;
        for (var run = 1; run <= runs; run++)
        {
            // Alternate which goes first, so neither always finds the machine's caches warmer.
            foreach (var isolation in run % 2 == 1 ? new[] { "inprocess", "process" } : ["process", "inprocess"])
            {
                var database = Path.Combine(storeDir, $"workers-{isolation}.db");
                RemindersBenchmark.FreshCopy(synced, database);
                var first = RemindersBenchmark.Evaluate(crmx, storeDir, run == 1, $"workers-{isolation}.json");
                var again = RemindersBenchmark.Evaluate(crmx, storeDir, run == 1, $"workers-{isolation}.json");
                var r = results[isolation];
                r.First.Add(first.Seconds);
                r.Again.Add(again.Seconds);
                r.FirstCpu.Add(first.TreeCpu);
                r.AgainCpu.Add(again.TreeCpu);
                Console.WriteLine($"run {run}, {isolation,-9}: first evaluation {first.Seconds:0.0} s (cpu {first.TreeCpu:0.0} s, crmx itself {first.Cpu:0.0} s, " +
                    $"its peak {first.MiB:N0} MiB; {first.New:N0} new); re-evaluation {again.Seconds:0.0} s (cpu {again.TreeCpu:0.0} s, crmx itself {again.Cpu:0.0} s, " +
                    $"its peak {again.MiB:N0} MiB; {again.New:N0} new)");
                if (warmCount > 0)
                {
                    var warmRuns = WarmReevaluations(storeDir, $"workers-{isolation}.json", warmCount);
                    r.Warm.AddRange(warmRuns.Select(w => w.Seconds));
                    r.WarmCpu.AddRange(warmRuns.Select(w => w.Cpu));
                    Console.WriteLine($"run {run}, {isolation,-9}: warm re-evaluation " + string.Join(", ", warmRuns.Select(w =>
                        $"{w.Seconds:0.0} s (cpu {w.Cpu:0.0} s, host itself {w.HostCpu:0.0} s; {w.New:N0} new)")));
                }

                var warm = WarmCalls(database, plugins, crmx, isolation == "process", guards, reports);
                latencies[isolation].AddRange(warm.Guards);
                reportTimes[isolation].AddRange(warm.Reports);
                reportRows = warm.Rows;
            }
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs, {counterparties:N0} counterparties, shipped plugins, {Environment.ProcessorCount} cores, SQLite store:");
        foreach (var (label, pick) in new (string, Func<(List<double> First, List<double> Again, List<double> FirstCpu, List<double> AgainCpu, List<double> Warm, List<double> WarmCpu), List<double>>)[]
        {
            ("first evaluation (every reminder new)", r => r.First), ("re-evaluation (nothing new)           ", r => r.Again),
            ("first evaluation, cpu with workers   ", r => r.FirstCpu), ("re-evaluation, cpu with workers      ", r => r.AgainCpu),
            ("warm re-evaluation (runtime kept)    ", r => r.Warm), ("warm re-evaluation, cpu with workers ", r => r.WarmCpu),
        })
        {
            if (pick(results["process"]).Count == 0)
            {
                continue;
            }

            var inProcess = Bench.Median(pick(results["inprocess"]));
            var inWorkers = Bench.Median(pick(results["process"]));
            Console.WriteLine($"  {(label.StartsWith("warm", StringComparison.Ordinal) ? "one runtime, " : "crmx reminders run, ")}{label}: in process {inProcess:0.00} s, in workers {inWorkers:0.00} s ({(inWorkers / inProcess) - 1:+0.0%;-0.0%})");
        }

        foreach (var (isolation, label) in new[] { ("inprocess", "in process"), ("process", "in its warm worker") })
        {
            var sorted = latencies[isolation].Order().ToList();
            Console.WriteLine($"  stage guards of a deal move, {label,-18}: p50 {Percentile(sorted, 0.5):0.0} ms, p95 {Percentile(sorted, 0.95):0.0} ms ({sorted.Count:N0} moves)");
        }

        if (reports > 0)
        {
            var inProcess = Bench.Median(reportTimes["inprocess"]);
            var inWorkers = Bench.Median(reportTimes["process"]);
            Console.WriteLine($"  report {Report} ({reportRows:N0} rows), warm: in process {inProcess:0.0} ms, in its worker {inWorkers:0.0} ms " +
                $"({(inWorkers / inProcess) - 1:+0.0%;-0.0%}; medians of {reportTimes["process"].Count} calls)");
        }

        return 0;
    }

    /// <summary>The shipped report timed warm, as <c>crmx serve</c>'s reports page runs it: Receivables' dunning list.</summary>
    private const string Report = "CrmExtensions.Receivables/dunning";

    /// <summary>Asks every shipped guard about one deal's move <paramref name="count"/> times after a warm-up, then runs the
    /// shipped report <paramref name="reports"/> times after one to warm up, as <c>crmx serve</c> does for the board and the
    /// reports page: one runtime kept for the process's life.</summary>
    private static (List<double> Guards, List<double> Reports, int Rows) WarmCalls(string database, string plugins, string crmx, bool inWorkers, int count,
        int reports)
    {
        var store = new CrmStore(DatabaseProvider.Sqlite, "Data Source=" + database, TimeProvider.System);
        var options = new PluginRuntimeOptions
        {
            Isolation = inWorkers ? PluginIsolation.Process : PluginIsolation.InProcess,
            WorkerCommand = inWorkers ? new WorkerCommand(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [crmx, "plugin-worker"]) : null,
        };
        using var runtime = PluginRuntime.LoadAsync(plugins, store, options).GetAwaiter().GetResult();
        var pipeline = runtime.Pipelines[0];
        string dealId;
        using (var connection = store.Open())
        {
            // A client with money overdue, so the receivables guard reads its debts and refuses.
            var (clientId, ledger, counterparty) = connection.QuerySingle<(long, string, string)>(
                "SELECT m.client_id, m.ledger, m.ledger_id FROM client_members m JOIN mirror_invoices i ON i.ledger = m.ledger AND i.counterparty_id = m.ledger_id " +
                "WHERE i.settled_on IS NULL AND i.due_on < '2026-06-30' ORDER BY m.client_id LIMIT 1");
            dealId = new DealStore(store).Open(new DealEntry
            {
                PluginId = pipeline.PluginId, Pipeline = pipeline.Name, Stage = pipeline.Definition.Stages[0], Title = "benchmark", ClientId = clientId,
                Ledger = ledger, CounterpartyId = counterparty,
            }).Id;
        }

        var deal = runtime.GetDealAsync(dealId).GetAwaiter().GetResult()!;
        var move = new StageMove(pipeline.Definition.Stages[0], pipeline.NextStages(pipeline.Definition.Stages[0])[0]);
        var times = new List<double>();
        for (var i = 0; i < GuardWarmUp + count; i++)
        {
            var clock = Stopwatch.StartNew();
            var refusals = runtime.CheckMoveAsync(deal, move).GetAwaiter().GetResult();
            if (refusals.Any(r => r.Failed))
            {
                throw new InvalidOperationException("a guard failed: " + refusals.First(r => r.Failed).Reason);
            }

            if (i >= GuardWarmUp)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        var reportTimes = new List<double>();
        var rows = 0;
        var request = CrmExtensions.Sdk.Reports.ReportRequest.ForDay(new DateOnly(2026, 6, 30));
        for (var i = 0; i < reports + 1; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = runtime.RunReportAsync(Report.Split('/')[0], Report.Split('/')[1], request).GetAwaiter().GetResult();
            var table = result.Table ?? throw new InvalidOperationException("the report failed: " + result.Problem);
            rows = table.Rows.Count;
            if (i > 0)
            {
                reportTimes.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return (times, reportTimes, rows);
    }

    /// <summary>Re-evaluations as <c>crmx run</c> makes them cycle after cycle: one runtime kept, its workers started and
    /// warm. A child process (this benchmark's, under crmx's GC settings) opens the workspace of <paramref name="config"/>,
    /// evaluates once to start the workers and compile the code, then <paramref name="count"/> times timed.</summary>
    private static List<(double Seconds, double Cpu, double HostCpu, long New)> WarmReevaluations(string folder, string config, int count)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(WorkersBenchmark).Assembly.Location, "workers-warm", "--folder", folder, "--config", config,
            "--count", count.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        // crmx's runtimeconfig: workstation, non-concurrent GC (its workers run under it already).
        start.Environment["DOTNET_gcConcurrent"] = "0";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the warm re-evaluations failed: {error.Result}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("warm ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')).Select(f => (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[4], CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>The child of <see cref="WarmReevaluations"/>: prints <c>warm SECONDS CPU HOST-CPU NEW</c> for each timed
    /// evaluation, the CPU being this process's and its running workers' (read from <c>/proc</c>: they are not reaped).</summary>
    public static int Warm(string folder, string config, int count)
    {
        using var services = CrmApplication.Build(new WorkspaceOptions { WorkingDirectory = folder, ConfigPath = Path.Combine(folder, config) });
        var reminders = services.GetRequiredService<ReminderService>();
        for (var i = 0; i <= count; i++)
        {
            var clock = Stopwatch.StartNew();
            var host = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var workers = Bench.RunningChildrenCpuSeconds();
            var summary = reminders.EvaluateAsync(RemindersBenchmark.AsOf, null, CancellationToken.None).GetAwaiter().GetResult();
            var seconds = clock.Elapsed.TotalSeconds;
            host = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - host;
            workers = Bench.RunningChildrenCpuSeconds() - workers;
            if (i > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm {seconds:0.000} {host + workers:0.000} {host:0.000} {summary.NewReminders}"));
            }
        }

        return 0;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

using System.Globalization;
using CrmExtensions.Application;
using CrmExtensions.Application.Running;
using CrmExtensions.Host.Cli;
using CrmExtensions.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx run</c>: the long-running host, a hosted service of the application core.</summary>
internal static class RunCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var interval = Opt.Text("--interval", "DURATION", "time between cycles: 30s, 5m, 1h (default 5m)");
        var once = Opt.Flag("--once", "run one cycle and exit (exit code 1 if a step failed)");
        var cycles = Opt.Int("--cycles", "N", "run N cycles and exit", int.MaxValue, 1, int.MaxValue);
        return new CrmxCommand("run", "Long-running host: sync, unify, dispatch events, evaluate reminders, run jobs and send mail on an interval.")
        {
            Details = """
                Each cycle syncs the ledgers, unifies clients when counterparties or contacts changed, computes again the
                cross-sell counts of the clients whose purchases changed, delivers pending events
                to the plugins, evaluates the reminder rules, runs the plugins' due scheduled jobs and sends the outbox's due
                mail (SMTP or the pickup folder; several hosts share it by row locks), then prints one line. Ctrl+C or SIGTERM
                stops it after the unit of work in hand (each commits on its own) with exit code 0. Several hosts may run on one store: each job
                runs under a store lease ('run:leases', default true), and reminders and mails are stored once per key anyway.
                """,
        }.With(interval, once, cycles).Runs(context, async (run, cancellationToken) =>
        {
            var schedule = new RunSchedule(Duration(run.Get(interval) ?? "5m"), run.Get(once) ? 1 : run.Get(cycles));
            var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = context.WorkingDirectory });
            builder.Services.AddCrmApplication(run.WorkspaceOptions).AddCrmRun(schedule, new Printer(context));
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            using var host = builder.Build();
            var service = host.Services.GetRequiredService<CrmRunService>();
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            service.ThrowIfFailed();
            return schedule.Cycles == 1 && service.LastCycleFailed ? 1 : 0;
        });
    }

    /// <summary>Parses 30s, 5m, 1h, 1.5h or a number of seconds.</summary>
    internal static TimeSpan Duration(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var unit = t.Length > 0 && char.IsLetter(t[^1]) ? t[^1] : 's';
        var number = char.IsLetter(unit) && t.Length > 0 && char.IsLetter(t[^1]) ? t[..^1] : t;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || unit is not ('s' or 'm' or 'h'))
        {
            throw new UsageException($"--interval takes a duration such as 30s, 5m or 1h, not '{text}'");
        }

        return unit switch { 'h' => TimeSpan.FromHours(value), 'm' => TimeSpan.FromMinutes(value), _ => TimeSpan.FromSeconds(value) };
    }

    /// <summary>Prints the run's start, one line per cycle, the steps' errors and the plugins' problems.</summary>
    private sealed class Printer(CommandContext context) : IRunObserver
    {
        private IReadOnlyList<PluginStatus> _plugins = [];

        public void Started(RunStart start)
        {
            var loaded = start.Plugins.Count(p => p.State == PluginState.Loaded);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"crmx run: {start.Ledgers} ledgers, {loaded} plugins, store {start.Store}, every {start.Interval}, time zone {start.TimeZone}{(start.Leases ? "" : ", no leases")}. Ctrl+C or SIGTERM stops it."));
            PrintPlugins(start.Plugins, []);
        }

        /// <summary>Which plugins run and which do not, and why: all of them at the start, then the ones whose state changed.</summary>
        private void PrintPlugins(IReadOnlyList<PluginStatus> plugins, IReadOnlyList<PluginStatus> before)
        {
            var changed = plugins.Where(p => !before.Any(b => b.Directory == p.Directory && b.State == p.State)).ToList();
            _plugins = plugins;
            if (changed.Count == 0)
            {
                return;
            }

            var running = changed.Where(p => p.State == PluginState.Loaded).Select(p => p.Id).ToList();
            if (running.Count > 0)
            {
                context.Out.WriteLine($"plugins running: {string.Join(", ", running)}");
            }

            foreach (var p in changed.Where(p => p.State != PluginState.Loaded))
            {
                var line = $"plugin {p.State.ToString().ToLowerInvariant()}: {p.Id ?? Path.GetFileName(p.Directory)}: {p.Reason}";
                context.Out.WriteLine(line);
                context.Error.WriteLine(line);
            }
        }

        public void CycleEnded(CycleReport report)
        {
            PrintPlugins(report.Plugins, _plugins);
            foreach (var error in report.Errors)
            {
                context.Error.WriteLine("error: " + error);
            }

            foreach (var problem in report.Problems.Take(10))
            {
                context.Error.WriteLine("problem: " + problem);
            }

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.At:yyyy-MM-dd HH:mm:ss} cycle {report.Number}: {string.Join("; ", report.Parts)}"));
            context.Out.Flush();
        }

        public void Stopping() => context.Out.WriteLine("stopping… every finished unit of work is committed; the next run carries on from there.");
    }
}

using System.Data.Common;
using System.Globalization;
using CrmExtensions.Host.Clients;
using CrmExtensions.Host.Configuration;
using CrmExtensions.Ledger;
using CrmExtensions.Ledger.Sync;
using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Store;
using CrmExtensions.Store.Leases;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx run</c>: the long-running host.</summary>
/// <remarks>
/// Every step commits its own units of work (a sync batch, an event delivery, a rule's outcome), so stopping between
/// them, or being killed anywhere, loses nothing committed and the next cycle or host redoes the rest without doubling it.
/// </remarks>
internal sealed class RunCommand : CommandSpec
{
    internal const string UnifiedBeforeSql = "SELECT COUNT(*) FROM unification_runs";

    public override string Name => "run";

    public override string Summary => "Long-running host: sync, unify, dispatch events, evaluate reminders and send mail on an interval.";

    public override string Details =>
        """
        Each cycle syncs the ledgers, unifies clients when counterparties or contacts changed, delivers pending events
        to the plugins, evaluates the reminder rules and sends the outbox's due mail (SMTP or the pickup folder; several
        hosts share it by row locks), then prints one line. Ctrl+C or SIGTERM stops it after the
        unit of work in hand (each commits on its own) with exit code 0. Several hosts may run on one store: each job
        runs under a store lease ('run:leases', default true), and reminders and mails are stored once per key anyway.
        """;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("interval", "DURATION", "time between cycles: 30s, 5m, 1h (default 5m)"),
        new("once", null, "run one cycle and exit (exit code 1 if a step failed)"),
        new("cycles", "N", "run N cycles and exit"),
    ];

    public override int Execute(CommandContext context, ParsedArguments arguments)
    {
        arguments.NoPositional();
        var interval = Duration(arguments.Get("interval") ?? "5m");
        var cycles = arguments.Has("once") ? 1 : arguments.GetInt("cycles", int.MaxValue, 1, int.MaxValue);
        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        var settings = ReminderConfiguration.Settings(workspace.Configuration.Reminders, context.Time);
        var store = workspace.Store;
        store.Migrate();
        var owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        var run = workspace.Configuration.Run;
        var leases = run.Leases ? new StoreLeases(store, owner) : null;
        var directory = Path.GetFullPath(workspace.Configuration.Plugins.Directory, workspace.Configuration.BaseDirectory);
        using var runtime = PluginRuntime.LoadAsync(directory, store, cancellationToken: context.Cancellation).GetAwaiter().GetResult();
        var token = context.Cancellation;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"crmx run: {workspace.Ledgers.Count} ledgers, {runtime.Plugins.Count(p => p.State == PluginState.Loaded)} plugins, store {store.Provider.Name()} {store.Describe()}, " +
            $"every {interval}, time zone {settings.TimeZone.Id}{(leases is null ? ", no leases" : "")}. Ctrl+C or SIGTERM stops it."));
        var host = new Cycle(context, workspace, runtime, settings, leases, TimeSpan.FromMinutes(Math.Max(1, run.LeaseMinutes)));
        var failed = false;
        for (var n = 1; n <= cycles && !token.IsCancellationRequested; n++)
        {
            failed = !host.Run(n);
            if (n == cycles || token.IsCancellationRequested)
            {
                break;
            }

            try
            {
                Task.Delay(interval, context.Time, token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (token.IsCancellationRequested)
        {
            context.Out.WriteLine("stopping… every finished unit of work is committed; the next run carries on from there.");
        }

        return cycles == 1 && failed ? 1 : 0;
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

    /// <summary>One cycle's steps, in order. Each runs under its lease, and a failing step does not stop the others.</summary>
    private sealed class Cycle(CommandContext context, Workspace workspace, PluginRuntime runtime, ReminderSettings settings, StoreLeases? leases, TimeSpan leaseTime)
    {
        private bool _mirrorChanged;

        /// <summary>Runs the steps; returns false when one failed.</summary>
        public bool Run(int number)
        {
            var token = context.Cancellation;
            var parts = new List<string>();
            var ok = true;
            // The steps of a cycle. Mail takes no lease: the dispatcher claims outbox rows with the store's own row locks,
            // so several hosts send side by side. Rules also hold the sync lease: evaluated while another host is half-way through a sync (invoices in,
            // payments not yet), they would see paid invoices as unpaid.
            (string Name, string[] Leases, Func<string> Run)[] steps =
            [
                ("sync", ["sync"], Sync),
                ("unify", ["unify"], Unify),
                ("events", ["events"], Events),
                ("reminders", ["reminders", "sync"], Reminders),
                ("mail", [], Mail),
            ];
            foreach (var (name, names, step) in steps)
            {
                if (token.IsCancellationRequested)
                {
                    break;
                }

                if (!Acquire(names))
                {
                    parts.Add($"{name}: another host has it");
                    continue;
                }

                try
                {
                    parts.Add(step());
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    parts.Add($"{name}: stopped");
                }
                catch (Exception ex) when (ex is CrmException or LedgerException or DbException or IOException or InvalidOperationException)
                {
                    ok = false;
                    parts.Add($"{name}: FAILED");
                    context.Error.WriteLine($"error: {name}: {ex.Message.ReplaceLineEndings(" ")}");
                }
                finally
                {
                    Release(names);
                }
            }

            var at = TimeZoneInfo.ConvertTime(context.Time.GetUtcNow(), settings.TimeZone);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd HH:mm:ss} cycle {number}: {string.Join("; ", parts)}"));
            context.Out.Flush();
            return ok;
        }

        private bool Acquire(string[] names)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (leases is not null && !leases.TryAcquire(names[i], leaseTime) && !TakeOverFromDeadProcess(names[i]))
                {
                    Release(names[..i]);
                    return false;
                }
            }

            return true;
        }

        /// <summary>A host of this machine killed mid-job holds its leases until they expire: a restart need not wait for that.</summary>
        private bool TakeOverFromDeadProcess(string name)
        {
            if (leases?.Holder(name) is not { } holder)
            {
                return false;
            }

            var parts = holder.Owner.Split('/');
            if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid))
            {
                return false;
            }

            return leases.TryTakeOver(name, holder.Owner, leaseTime);

            static bool IsRunning(int pid)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    return !process.HasExited;
                }
                catch (ArgumentException)
                {
                    return false;
                }
            }
        }

        private void Release(string[] names)
        {
            foreach (var name in names)
            {
                leases?.Release(name);
            }
        }

        private string Sync()
        {
            if (workspace.Ledgers.Count == 0)
            {
                return "sync: no ledgers";
            }

            var results = new LedgerSynchronizer(workspace.Store).Sync(workspace.Ledgers, null, context.Cancellation);
            _mirrorChanged |= results.Any(r => r.Kind is "counterparties" or "contacts" && r.Counts.HasChanges);
            var inserted = results.Sum(r => r.Counts.Inserted);
            var changed = results.Sum(r => r.Counts.Changed);
            var vanished = results.Sum(r => r.Counts.Vanished);
            var rejected = results.Sum(r => r.Counts.Rejected);
            return inserted + changed + vanished + rejected == 0
                ? "sync: no changes"
                : string.Create(CultureInfo.InvariantCulture, $"sync: {inserted:N0} new, {changed:N0} changed, {vanished:N0} vanished, {rejected:N0} rejected");
        }

        private string Unify()
        {
            if (!_mirrorChanged)
            {
                using var connection = workspace.Store.Open();
                if (connection.ExecuteScalar<long>(UnifiedBeforeSql) > 0)
                {
                    return "unify: not needed";
                }
            }

            var outcome = new Unifier(workspace.Store).Run(context.Cancellation);
            _mirrorChanged = false;
            return string.Create(CultureInfo.InvariantCulture,
                $"unify: {outcome.Summary.Clients:N0} clients ({outcome.Created:N0} created, {outcome.Merged:N0} merged, {outcome.Split:N0} split)");
        }

        private string Events()
        {
            var d = runtime.DispatchAsync(context.Cancellation).GetAwaiter().GetResult();
            Report(d.Problems);
            return string.Create(CultureInfo.InvariantCulture, $"events: {d.Events:N0} dispatched, {d.Failures:N0} failed");
        }

        private string Reminders()
        {
            var r = runtime.RunRemindersAsync(settings, null, context.Cancellation).GetAwaiter().GetResult();
            Report(r.Problems);
            return string.Create(CultureInfo.InvariantCulture,
                $"reminders: {r.NewReminders:N0} new, {r.Cancelled:N0} cancelled, {r.MailsQueued:N0} mails queued");
        }

        private string Mail() =>
            "mail: " + MailCommand.Describe(MailCommand.Dispatcher(context, workspace).DispatchDueAsync(context.Cancellation).GetAwaiter().GetResult());

        private void Report(IEnumerable<string> problems)
        {
            foreach (var problem in problems.Take(10))
            {
                context.Error.WriteLine("problem: " + problem);
            }
        }
    }
}

using System.Data.Common;
using System.Globalization;
using CrmExtensions.Runtime;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Jobs;
using CrmExtensions.Application.Ledgers;
using CrmExtensions.Application.Mail;
using CrmExtensions.Application.Reminders;
using CrmExtensions.Ledger;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Store;
using CrmExtensions.Store.Leases;
using CrmExtensions.Store.Mirror;
using Microsoft.Extensions.Logging;

namespace CrmExtensions.Application.Running;

/// <summary>What one cycle did: one part per step (<c>sync: no changes</c>), whether every step succeeded, and the plugins' problems.</summary>
internal sealed record CycleReport(int Number, DateTimeOffset At, IReadOnlyList<string> Parts, bool Succeeded, IReadOnlyList<string> Problems, IReadOnlyList<string> Errors)
{
    /// <summary>Gets every plugin folder and its state at the cycle's end (a plugin quarantined during the cycle shows so).</summary>
    public IReadOnlyList<Runtime.PluginStatus> Plugins { get; init; } = [];
}

/// <summary>
/// One cycle of the long-running host: sync, unify when the mirror changed, deliver events, evaluate reminders, send due mail.
/// </summary>
/// <remarks>
/// Every step commits its own units of work (a sync batch, an event delivery, a rule's outcome), so stopping between them,
/// or being killed anywhere, loses nothing committed and the next cycle or host redoes the rest without doubling it.
/// Each step runs under its store lease; a failing step does not stop the others. One caller at a time.
/// </remarks>
internal sealed class RunCycle(CrmWorkspace workspace, SyncService sync, UnificationService unification, ReminderService reminders, JobService jobs, MailService mail)
{
    private readonly ILogger _logger = workspace.Loggers.CreateLogger("CrmExtensions.Run");
    // Made on the first cycle, when the store is first needed: a host that never cycles opens nothing.
    private readonly Lazy<StoreLeases?> _leases = new(() => workspace.Configuration.Run.Leases
        ? new StoreLeases(workspace.Store, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}")
        : null);

    private bool _mirrorChanged;

    // Per ledger, the look at its storage taken before this host's last complete sync of it (LedgerFingerprint): a ledger
    // that looks the same has no row this host has not synced, and is not read again.
    private readonly Dictionary<string, string> _syncedLooks = new(StringComparer.OrdinalIgnoreCase);
    private string? _evaluated;
    private bool _syncIncomplete;

    private TimeSpan LeaseTime => TimeSpan.FromMinutes(Math.Max(1, workspace.Configuration.Run.LeaseMinutes));

    /// <summary>Whether jobs run under store leases (<c>run:leases</c>, default true).</summary>
    public bool UsesLeases => workspace.Configuration.Run.Leases;

    /// <summary>Runs the steps in order; a step that fails is reported and the others still run.</summary>
    public async Task<CycleReport> RunAsync(int number, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        var problems = new List<string>();
        var errors = new List<string>();
        var ok = true;
        _syncIncomplete = false;
        // Mail takes no lease: the dispatcher claims outbox rows with the store's own row locks, so several hosts send side
        // by side. Rules also hold the sync lease: evaluated while another host is half-way through a sync (invoices in,
        // payments not yet), they would see paid invoices as unpaid.
        (string Name, string[] Leases, Func<Task<string>> Run)[] steps =
        [
            ("sync", ["sync"], () => SyncAsync(cancellationToken)),
            ("unify", ["unify"], () => OnSyncedStoreAsync("unify", () => UnifyAsync(cancellationToken), cancellationToken)),
            ("recommendations", ["unify"], () => OnSyncedStoreAsync("recommendations", () => RecommendationsAsync(cancellationToken), cancellationToken)),
            ("client list", ["unify"], () => OnSyncedStoreAsync("client list", () => ClientListAsync(cancellationToken), cancellationToken)),
            ("events", ["events"], () => OnSyncedStoreAsync("events", () => EventsAsync(problems, cancellationToken), cancellationToken)),
            ("reminders", ["reminders", "sync"], () => OnSyncedStoreAsync("reminders", () => RemindersAsync(problems, cancellationToken), cancellationToken)),
            ("jobs", ["jobs", "sync"], () => OnSyncedStoreAsync("jobs", () => JobsAsync(problems, cancellationToken), cancellationToken)),
            ("mail", [], async () => "mail: " + MailService.Describe(await mail.DispatchDueAsync(cancellationToken).ConfigureAwait(false))),
        ];
        foreach (var (name, names, step) in steps)
        {
            if (cancellationToken.IsCancellationRequested)
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
                parts.Add(await step().ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _syncIncomplete |= name == "sync";
                parts.Add($"{name}: stopped");
            }
            catch (Exception ex) when (ex is CrmException or LedgerException or DbException or IOException or InvalidOperationException)
            {
                _syncIncomplete |= name == "sync";
                ok = false;
                parts.Add($"{name}: FAILED");
                errors.Add($"{name}: {ex.Message.ReplaceLineEndings(" ")}");
                _logger.LogError(ex, "Step {Step} of cycle {Cycle} failed", name, number);
            }
            finally
            {
                Release(names);
            }
        }

        return new CycleReport(number, TimeZoneInfo.ConvertTime(workspace.Time.GetUtcNow(), workspace.ReminderSettings.TimeZone), parts, ok, problems, errors)
        {
            Plugins = (await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false)).Plugins,
        };
    }

    /// <summary>Runs a step that acts on the mirror only when the mirror is whole: this cycle's sync completed, no host is
    /// syncing (the step holds the store's sync lock shared, waiting out a sync in progress), and no host's last sync
    /// of a ledger's kind broke off half-way.</summary>
    private async Task<string> OnSyncedStoreAsync(string name, Func<Task<string>> step, CancellationToken cancellationToken)
    {
        if (_syncIncomplete)
        {
            return $"{name}: skipped, this cycle's sync did not complete";
        }

        var waited = false;
        var store = workspace.Store;
        using var turn = await Task.Run(() => SyncLock.Acquire(store, SyncLockMode.Shared, () => waited = true, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var unfinished = MirrorSummary.UnfinishedSyncs(store);
        if (unfinished.Count > 0)
        {
            return $"{name}: skipped, the last sync of {string.Join(", ", unfinished)} did not finish";
        }

        var part = await step().ConfigureAwait(false);
        return waited ? part + " (after another host's sync)" : part;
    }

    private async Task<string> SyncAsync(CancellationToken cancellationToken)
    {
        if (workspace.Ledgers.Count == 0)
        {
            return "sync: no ledgers";
        }

        var looks = workspace.Ledgers.ToDictionary(l => l.Name, LedgerFingerprint.Of, StringComparer.OrdinalIgnoreCase);
        var changed = workspace.Ledgers.Where(l => looks[l.Name] is not { } look || _syncedLooks.GetValueOrDefault(l.Name) != look).ToList();
        if (changed.Count == 0)
        {
            return "sync: no ledger file changed since the last sync";
        }

        var waited = false;
        var results = await sync.SyncLedgersAsync(changed, null, () => waited = true, cancellationToken).ConfigureAwait(false);
        foreach (var ledger in changed)
        {
            if (looks[ledger.Name] is { } look)
            {
                _syncedLooks[ledger.Name] = look;
            }
        }

        _mirrorChanged |= results.Any(r => r.Kind is "counterparties" or "contacts" && r.Counts.HasChanges);
        var inserted = results.Sum(r => r.Counts.Inserted);
        var rowsChanged = results.Sum(r => r.Counts.Changed);
        var vanished = results.Sum(r => r.Counts.Vanished);
        var rejected = results.Sum(r => r.Counts.Rejected);
        var part = inserted + rowsChanged + vanished + rejected == 0
            ? "sync: no changes"
            : string.Create(CultureInfo.InvariantCulture, $"sync: {inserted:N0} new, {rowsChanged:N0} changed, {vanished:N0} vanished, {rejected:N0} rejected");
        return waited ? part + " (waited for another host's sync)" : part;
    }

    private async Task<string> UnifyAsync(CancellationToken cancellationToken)
    {
        if (!_mirrorChanged && await unification.HasRunAsync(cancellationToken).ConfigureAwait(false))
        {
            return "unify: not needed";
        }

        var outcome = await unification.UnifyAsync(cancellationToken).ConfigureAwait(false);
        _mirrorChanged = false;
        var examined = outcome.ReExamined is { } rows ? string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows re-examined") : "every row examined";
        return string.Create(CultureInfo.InvariantCulture,
            $"unify: {outcome.Summary.Clients:N0} clients ({outcome.Created:N0} created, {outcome.Merged:N0} merged, {outcome.Split:N0} split; {examined})");
    }

    /// <summary>Computes again the cross-sell counts of the clients whose purchases changed, so plugins and segments read current
    /// lists; the dossier would do it on its first read otherwise.</summary>
    private Task<string> RecommendationsAsync(CancellationToken cancellationToken) => Task.Run(() =>
    {
        var changed = new Store.Recommendations.ProductRecommendations(workspace.Store, workspace.Configuration.Recommendations.ToOptions()).EnsureCurrent();
        return changed < 0
            ? "recommendations: nothing changed"
            : string.Create(CultureInfo.InvariantCulture, $"recommendations: {changed:N0} clients computed again");
    }, cancellationToken);

    /// <summary>Computes again the client list's rows (revenue, class, overdue debt, manager, region) when a sync or unification
    /// changed them or the day turned, so the first page a manager opens does not wait for it.</summary>
    private Task<string> ClientListAsync(CancellationToken cancellationToken) => Task.Run(() =>
        new Store.Clients.ClientDirectory(workspace.Store).Refresh() ? "client list: computed again" : "client list: current", cancellationToken);

    private async Task<string> EventsAsync(List<string> problems, CancellationToken cancellationToken)
    {
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        var d = await runtime.DispatchAsync(cancellationToken).ConfigureAwait(false);
        problems.AddRange(d.Problems);
        return string.Create(CultureInfo.InvariantCulture, $"events: {d.Events:N0} dispatched, {d.Failures:N0} failed{TagWriteCounts.Describe(d.TagWrites)}");
    }

    private async Task<string> RemindersAsync(List<string> problems, CancellationToken cancellationToken)
    {
        // An idle cycle (no ledger row, client, activity, deal, tag or plugin datum changed, the same day) evaluates only
        // the rules that asked to run every cycle.
        var (r, fingerprint, all) = await reminders.EvaluateIfChangedAsync(_evaluated, cancellationToken).ConfigureAwait(false);
        if (r is null)
        {
            return "reminders: nothing changed since the last evaluation";
        }

        if (r.Problems.Count == 0)
        {
            _evaluated = fingerprint;
        }

        problems.AddRange(r.Problems);
        return string.Create(CultureInfo.InvariantCulture,
            $"reminders: {r.NewReminders:N0} new, {r.Cancelled:N0} cancelled, {r.MailsQueued:N0} mails queued{(all ? "" : " (every-cycle rules only)")}{TagWriteCounts.Describe(r.TagWrites)}");
    }

    private async Task<string> JobsAsync(List<string> problems, CancellationToken cancellationToken)
    {
        // Cheap when nothing is due: one claim attempt per job, which fails at once for a slot already done.
        var j = await jobs.RunDueAsync(cancellationToken).ConfigureAwait(false);
        problems.AddRange(j.Problems);
        return j.Ran.Count == 0
            ? "jobs: none due"
            : string.Create(CultureInfo.InvariantCulture,
                $"jobs: {j.Ran.Count(r => r.Succeeded):N0} ran ({string.Join(", ", j.Ran.Select(r => r.PluginId + "/" + r.Job + (r.Succeeded ? "" : " FAILED")))}){TagWriteCounts.Describe(j.TagWrites)}");
    }

    private bool Acquire(string[] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (_leases.Value is { } leases && !leases.TryAcquire(names[i], LeaseTime) && !TakeOverFromDeadProcess(names[i]))
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
        if (_leases.Value?.Holder(name) is not { } holder)
        {
            return false;
        }

        var parts = holder.Owner.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid))
        {
            return false;
        }

        return _leases.Value!.TryTakeOver(name, holder.Owner, LeaseTime);

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
            _leases.Value?.Release(name);
        }
    }
}

using System.Diagnostics;
using CrmExtensions.Runtime.Events;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Jobs;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Runtime.Reports;
using CrmExtensions.Runtime.Storage;
using CrmExtensions.Runtime.Workspace;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmExtensions.Runtime;

/// <summary>The plugins of one host: loaded from a folder, isolated from each other, fed events and asked for reminders.</summary>
/// <remarks>Not thread-safe: one caller drives dispatch and reminders at a time. Dispose to release the plugins' containers.</remarks>
public sealed class PluginRuntime : IDisposable
{
    private readonly CrmStore _store;
    private readonly PluginRuntimeOptions _options;
    private readonly PluginGuard _guard;
    private readonly List<HostedPlugin> _all;
    private readonly IReadOnlyList<PluginStatus> _statuses;
    private readonly Workers.WorkerSupervisor? _workers;

    private PluginRuntime(CrmStore store, PluginRuntimeOptions options, PluginGuard guard, List<HostedPlugin> loaded, IReadOnlyList<PluginStatus> plugins, TimeSpan elapsed,
        Workers.WorkerSupervisor? workers)
    {
        _store = store;
        _options = options;
        _guard = guard;
        _all = loaded;
        _statuses = plugins;
        _workers = workers;
        LoadTime = elapsed;
    }

    /// <summary>The loaded plugins not quarantined since: the ones every call goes to.</summary>
    private List<HostedPlugin> Active => _workers is null ? _all : _all.Where(p => !_workers.Quarantined.ContainsKey(p.Id)).ToList();

    /// <summary>Gets every plugin folder: the loaded ones in dependency order, then the refused, disabled and quarantined ones.</summary>
    /// <remarks>In process isolation a plugin quarantined after loading shows as quarantined from then on.</remarks>
    public IReadOnlyList<PluginStatus> Plugins => _workers is null
        ? _statuses
        : _statuses.Select(s => s.State == PluginState.Loaded && s.Id is not null && _workers.Quarantined.TryGetValue(s.Id, out var q)
            ? s with { State = PluginState.Quarantined, Reason = Quarantine(q), Contributes = "" }
            : s).ToList();

    private static string Quarantine(Store.Plugins.QuarantinedPlugin q) =>
        $"quarantined at {q.QuarantinedAt}: {q.Reason} 'crmx plugins enable {q.PluginId}' enables it again.";

    /// <summary>Gets how long discovery, loading and every startup took (in process isolation: the workers' startups).</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>Gets the SDK version this host provides to plugins.</summary>
    public static Version SdkVersion => SdkAssembly.Version;

    /// <summary>Loads every plugin folder under <paramref name="pluginsDirectory"/>; never throws for a bad plugin.</summary>
    /// <param name="pluginsDirectory">The folder with one sub-folder per plugin; a missing folder means no plugins.</param>
    /// <param name="store">The CRM's store, which plugins read and write through the SDK.</param>
    /// <param name="options">Budgets; defaults when null.</param>
    /// <param name="loggerFactory">Where plugin failures are logged, with the plugin's id; nowhere when null.</param>
    /// <param name="cancellationToken">Stops loading.</param>
    /// <returns>The runtime.</returns>
    public static async Task<PluginRuntime> LoadAsync(string pluginsDirectory, CrmStore store, PluginRuntimeOptions? options = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginsDirectory);
        ArgumentNullException.ThrowIfNull(store);
        options ??= new PluginRuntimeOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var clock = Stopwatch.StartNew();
        var guard = new PluginGuard(loggerFactory);
        var (ordered, refused) = PluginDiscovery.Discover(Path.GetFullPath(pluginsDirectory));
        var workers = options.Isolation == PluginIsolation.Process ? new Workers.WorkerSupervisor(store, options, loggerFactory) : null;
        // One read of the quarantine: the supervisor's, when there is one.
        workers?.Refresh();
        var quarantined = workers?.Quarantined
            ?? new Store.Plugins.PluginQuarantine(store).List().ToDictionary(q => q.PluginId, StringComparer.OrdinalIgnoreCase);
        // In process isolation each startup runs in the plugin's worker first, all at once: a worker loads only its own
        // plugin, so a plugin's dependencies need not have started for its worker to start, and the starts (most of it
        // the runtime's loading and compiling in each new process) overlap instead of adding up.
        var startups = workers is null ? [] : await Task.WhenAll(ordered.Where(c => !quarantined.ContainsKey(c.Manifest.Id))
            .Select(async c => (c.Manifest.Id, Started: await workers.StartAsync(c, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        var started = startups.ToDictionary(s => s.Id, s => s.Started, StringComparer.OrdinalIgnoreCase);
        var loaded = new List<HostedPlugin>();
        var statuses = new List<PluginStatus>();
        var later = new List<PluginStatus>();
        foreach (var candidate in ordered)
        {
            var m = candidate.Manifest;
            var missing = m.Dependencies.FirstOrDefault(d => !loaded.Any(l => string.Equals(l.Id, d, StringComparison.OrdinalIgnoreCase)));
            if (missing is not null)
            {
                workers?.Stop(m.Id);
                later.Add(new PluginStatus(candidate.Directory, m.Id, m.Version, m.SdkVersion?.ToString(3), PluginState.Disabled,
                    $"Plugin '{m.Id}' depends on '{missing}', which failed to start.", ""));
                continue;
            }

            if (quarantined.TryGetValue(m.Id, out var q))
            {
                later.Add(new PluginStatus(candidate.Directory, m.Id, m.Version, m.SdkVersion?.ToString(3), PluginState.Quarantined, Quarantine(q), ""));
                continue;
            }

            // In process isolation the host never loads the plugin: its worker ran the startup and said what it registered.
            var inWorker = started.GetValueOrDefault(m.Id);
            if (workers is not null && inWorker.Problem is { } failed)
            {
                later.Add(new PluginStatus(candidate.Directory, m.Id, m.Version, m.SdkVersion?.ToString(3),
                    workers.Quarantined.TryGetValue(m.Id, out var now) ? PluginState.Quarantined : PluginState.Disabled,
                    // A startup that threw reads as in process; one that ended or hung its worker says so.
                    now is not null ? Quarantine(now) : failed.StartsWith("disabled: ", StringComparison.Ordinal) ? failed : "disabled in its worker: " + failed, ""));
                continue;
            }

            HostedPlugin plugin;
            if (workers is not null)
            {
                plugin = new HostedPlugin(candidate, inWorker.Shape!, null);
            }
            else
            {
                var (here, problem) = await PluginLoading.LoadAsync(candidate, store, options, loggerFactory, guard, cancellationToken).ConfigureAwait(false);
                if (here is null)
                {
                    later.Add(new PluginStatus(candidate.Directory, m.Id, m.Version, m.SdkVersion?.ToString(3), PluginState.Disabled, problem, ""));
                    continue;
                }

                plugin = new HostedPlugin(candidate, PluginShape.Of(here), here);
            }

            loaded.Add(plugin);
            statuses.Add(new PluginStatus(candidate.Directory, m.Id, m.Version, m.SdkVersion?.ToString(3), PluginState.Loaded, null, plugin.Shape.Contributes));
        }

        statuses.AddRange(later);
        statuses.AddRange(refused.OrderBy(r => r.Directory, StringComparer.Ordinal).Select(r => new PluginStatus(
            r.Directory, r.Manifest?.Id, r.Manifest?.Version, r.Manifest?.SdkVersion?.ToString(3), PluginState.Refused, r.Reason, "")));
        return new PluginRuntime(store, options, guard, loaded, statuses, clock.Elapsed, workers);
    }

    /// <summary>Delivers every pending change event to every subscribed handler, in order, once each.</summary>
    /// <param name="cancellationToken">Stops after the current delivery; nothing is lost or doubled.</param>
    /// <returns>What was delivered and what failed.</returns>
    public Task<DispatchSummary> DispatchAsync(CancellationToken cancellationToken = default)
    {
        _workers?.Refresh();
        return new EventDispatcher(_store, _options, _guard, _workers).DispatchAsync(Active, cancellationToken);
    }

    /// <summary>Evaluates every reminder rule for a day in UTC with weekends off; see the overload with settings.</summary>
    /// <param name="today">The day to evaluate.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>What was stored and what failed.</returns>
    public Task<ReminderSummary> RunRemindersAsync(DateOnly today, CancellationToken cancellationToken = default) =>
        RunRemindersAsync(ReminderSettings.Default, today, cancellationToken);

    /// <summary>
    /// Evaluates every reminder rule: stores new reminders and queues their mails once per key, and cancels open reminders
    /// (and their still-queued mails) that their rule no longer returns.
    /// </summary>
    /// <param name="settings">The time zone "today" is reckoned in and the working calendar rules are given.</param>
    /// <param name="day">The day to evaluate, or null for today in the settings' time zone by the store's clock.</param>
    /// <param name="cancellationToken">Stops the run between rules; what is committed stays, the rest is redone next run.</param>
    /// <returns>What was stored, cancelled and what failed, per plugin.</returns>
    public Task<ReminderSummary> RunRemindersAsync(ReminderSettings settings, DateOnly? day = null, CancellationToken cancellationToken = default) =>
        RunRemindersAsync(settings, day, null, cancellationToken);

    /// <summary>Evaluates every reminder rule, saying which rule it starts on; see the overload without progress.</summary>
    /// <param name="settings">The time zone "today" is reckoned in and the working calendar rules are given.</param>
    /// <param name="day">The day to evaluate, or null for today.</param>
    /// <param name="progress">Told <c>plugin: Rule (n of N rules)</c> as each rule starts, or null.</param>
    /// <param name="cancellationToken">Stops the run between rules.</param>
    /// <returns>What was stored, cancelled and what failed, per plugin.</returns>
    public Task<ReminderSummary> RunRemindersAsync(ReminderSettings settings, DateOnly? day, IProgress<string>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _workers?.Refresh();
        return new ReminderRunner(_store, _options, _guard, _workers).RunAsync(Active, settings, day, progress, null, cancellationToken);
    }

    /// <summary>Whether a loaded plugin has a rule marked <see cref="EvaluateEveryCycleAttribute"/> (SDK 1.2).</summary>
    public bool HasEveryCycleRules => Active.Any(p => p.Shape.Rules.Any(EveryCycle));

    /// <summary>Evaluates only the rules marked <see cref="EvaluateEveryCycleAttribute"/>: what an idle <c>crmx run</c>
    /// cycle does, when nothing a rule reads has changed since every rule was last evaluated, on the same day.</summary>
    /// <param name="settings">The time zone and working calendar.</param>
    /// <param name="cancellationToken">Stops the run between rules.</param>
    /// <returns>What was stored, cancelled and what failed.</returns>
    public Task<ReminderSummary> RunEveryCycleRemindersAsync(ReminderSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _workers?.Refresh();
        return new ReminderRunner(_store, _options, _guard, _workers).RunAsync(Active, settings, null, null, EveryCycle, cancellationToken);
    }

    /// <summary>Every scheduled job of the loaded plugins (SDK 1.2), by plugin in load order.</summary>
    public IReadOnlyList<JobInfo> Jobs =>
        Active.SelectMany(p => p.Shape.Jobs.Select(j => new JobInfo(p.Id, j.Name, j.Schedule))).ToList();

    /// <summary>Runs every job whose latest slot has not run yet (SDK 1.2): each slot once across restarts and hosts.</summary>
    /// <param name="settings">The time zone daily slots are reckoned in, and the working calendar jobs are given.</param>
    /// <param name="owner">This host's name, unique among the hosts sharing the store; it holds the claims.</param>
    /// <param name="cancellationToken">Stops between jobs; a job stopped half-way is given back untouched.</param>
    /// <returns>The slots run and what failed.</returns>
    public Task<JobSummary> RunJobsAsync(ReminderSettings settings, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        _workers?.Refresh();
        return new JobRunner(_store, _options, _guard, _workers).RunDueAsync(Active, settings, owner, cancellationToken);
    }

    /// <summary>Lists each loaded plugin's reports or pages, each plugin under its call budget, here or in its worker; a plugin
    /// whose instances cannot be created, that overruns or whose worker fails is skipped.</summary>
    private async Task<IReadOnlyList<T>> ListAsync<T>(ListingKind kind, Func<HostedPlugin, PluginListing, T> describe, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        foreach (var plugin in Active.Where(p => PluginListings.Registered(p.Shape, kind).Count > 0))
        {
            var result = _workers is null
                ? await PluginListings.ListAsync(_guard, _options.CallBudget, plugin.InProcess, kind, cancellationToken).ConfigureAwait(false)
                : await Workers.WorkerCalls.ListAsync(_workers, plugin, kind, _store.Time.GetUtcNow(), _options.CallBudget, cancellationToken).ConfigureAwait(false);
            all.AddRange((result.Value ?? []).Select(l => describe(plugin, l)));
        }

        return all;
    }

    private static bool EveryCycle(RuleShape rule) => rule.EveryCycle;

    /// <summary>Runs one plugin's report under guard.</summary>
    /// <param name="pluginId">The plugin.</param>
    /// <param name="report">The report's name.</param>
    /// <param name="asOf">The day the report is for.</param>
    /// <param name="cancellationToken">Stops the report.</param>
    /// <returns>The table, or null when the plugin or report is unknown or the report failed.</returns>
    public async Task<ReportTable?> RunReportAsync(string pluginId, string report, DateOnly asOf, CancellationToken cancellationToken = default) =>
        (await RunReportAsync(pluginId, report, ReportRequest.ForDay(asOf), cancellationToken).ConfigureAwait(false)).Table;

    /// <summary>Runs one plugin's report for a range under guard, in the plugin's worker in process isolation; an SDK 1.0 report
    /// is run for <see cref="ReportRequest.AsOf"/>.</summary>
    /// <param name="pluginId">The plugin.</param>
    /// <param name="report">The report's name.</param>
    /// <param name="request">The range and the day balances are taken on.</param>
    /// <param name="cancellationToken">Stops the report.</param>
    /// <returns>The table, or the problem in one line when the plugin or report is unknown or the report failed (threw,
    /// overran, or ended its worker: the host carries on).</returns>
    public async Task<PluginReportResult> RunReportAsync(string pluginId, string report, ReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plugin = Active.FirstOrDefault(p => p.Id == pluginId);
        if (plugin is null)
        {
            return new PluginReportResult(null, $"No loaded plugin '{pluginId}'.");
        }

        var result = _workers is null
            ? await PluginReports.RunAsync(_guard, _options.CallBudget, plugin.InProcess, report, request, cancellationToken).ConfigureAwait(false)
            : await Workers.WorkerCalls.RunReportAsync(_workers, plugin, report, request, _store.Time.GetUtcNow(), _options.CallBudget, cancellationToken)
                .ConfigureAwait(false);
        return result.Succeeded
            ? new PluginReportResult(result.Value, result.Value is null ? $"Plugin '{pluginId}' has no report '{report}'." : null)
            : new PluginReportResult(null, result.Problem);
    }

    /// <summary>Every report of every loaded plugin, with its title (an SDK 1.0 report's title is its name).</summary>
    /// <param name="cancellationToken">Stops listing.</param>
    /// <returns>The reports, by plugin in load order; a plugin whose reports cannot be created is skipped.</returns>
    public Task<IReadOnlyList<PluginReportInfo>> ListReportsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(ListingKind.Reports, (plugin, r) => new PluginReportInfo(plugin.Id, r.Name, r.Title), cancellationToken);

    /// <summary>Renders every loaded plugin's panel for one client's card (SDK 1.2), each under its call budget, concurrently;
    /// in process isolation each plugin's panels in its worker, which sends back their HTML.</summary>
    /// <param name="clientId">The client whose card is open.</param>
    /// <param name="cancellationToken">Stops the rendering (the request ended).</param>
    /// <returns>The panels with something to show, by plugin in load order; a failed panel carries its problem instead of HTML
    /// (each of a plugin's panels, when its worker ended or overran).</returns>
    /// <remarks>Thread-safe: several requests may render at once.</remarks>
    public Task<IReadOnlyList<PluginView>> RenderClientPanelsAsync(string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        return new PluginViews(_options, _guard, _workers, _store.Time).PanelsAsync(Active, clientId, cancellationToken);
    }

    /// <summary>Every page the loaded plugins add to the web workspace (SDK 1.2).</summary>
    /// <param name="cancellationToken">Stops listing.</param>
    /// <returns>The pages, by plugin in load order; a plugin whose pages cannot be created is skipped.</returns>
    public Task<IReadOnlyList<PluginPageInfo>> ListPagesAsync(CancellationToken cancellationToken = default) =>
        ListAsync(ListingKind.Pages, (plugin, page) => new PluginPageInfo(plugin.Id, page.Name, page.Title), cancellationToken);

    /// <summary>Renders one plugin page under the plugin's call budget, in its worker in process isolation.</summary>
    /// <param name="pluginId">The plugin (case-insensitive).</param>
    /// <param name="name">The page's name.</param>
    /// <param name="cancellationToken">Stops the rendering.</param>
    /// <returns>The page, a view with its problem when it failed, or null when there is no such page.</returns>
    public Task<PluginView?> RenderPageAsync(string pluginId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new PluginViews(_options, _guard, _workers, _store.Time).PageAsync(Active, pluginId, name, cancellationToken);
    }

    /// <summary>Gets every pipeline the loaded plugins define, in plugin order.</summary>
    public IReadOnlyList<PipelineInfo> Pipelines =>
        Active.SelectMany(p => p.Shape.Pipelines.Select(d => new PipelineInfo(p.Id, d))).ToList();

    /// <summary>Reads a deal as plugins see it.</summary>
    /// <param name="dealId">The deal's id.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The deal, or null.</returns>
    public Task<Deal?> GetDealAsync(string dealId, CancellationToken cancellationToken = default) =>
        new StoreReader(_store).GetDealAsync(dealId, cancellationToken);

    /// <summary>Asks every stage guard of every loaded plugin whether a deal may make a move.</summary>
    /// <param name="deal">The deal, in its current stage.</param>
    /// <param name="move">The move asked for; the caller has checked that the pipeline allows it.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns>Every refusal, by plugin and guard; empty when the move may be made. A guard that throws or overruns
    /// its budget refuses, with "guard failed: …" as its reason.</returns>
    /// <remarks>Thread-safe: the web asks from several requests at once. In process isolation each plugin's guards run in
    /// its warm worker, one call at a time; a worker that dies, overruns or cannot start refuses for each of its guards.</remarks>
    public Task<IReadOnlyList<GuardRefusal>> CheckMoveAsync(Deal deal, StageMove move, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deal);
        return new StageGuards(_options, _guard, _workers, _store.Time).CheckAsync(Active, deal, move, cancellationToken);
    }

    /// <summary>Releases every plugin's container and load context.</summary>
    public void Dispose()
    {
        _workers?.Dispose();
        foreach (var plugin in _all)
        {
            plugin.Dispose();
        }

        _all.Clear();
    }
}

/// <summary>A scheduled job a plugin registered.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Name">The job's name within the plugin.</param>
/// <param name="Schedule">When it runs.</param>
public sealed record JobInfo(string PluginId, string Name, CrmExtensions.Sdk.Jobs.JobSchedule Schedule);

/// <summary>A report a plugin contributes, as <c>crmx report list</c> shows it.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Name">The report's name within the plugin.</param>
/// <param name="Title">The report's title (its name for an SDK 1.0 report).</param>
public sealed record PluginReportInfo(string PluginId, string Name, string Title);

/// <summary>What running a plugin's report gave: its table, or the problem in one line.</summary>
/// <param name="Table">The table, or null when the report could not run.</param>
/// <param name="Problem">Why there is no table.</param>
public sealed record PluginReportResult(ReportTable? Table, string? Problem);

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Store;
using CrmExtensions.Store.Plugins;
using Microsoft.Extensions.Logging;

namespace CrmExtensions.Runtime.Workers;

/// <summary>One warm worker per plugin, started on first use: calls under a budget enforced by killing the worker, a worker
/// that exits, aborts or overruns reaped and restarted for the next call, each failure attributed to the plugin, recorded
/// in the store and logged, and a plugin that fails too often quarantined.</summary>
/// <remarks>Thread-safe: calls to different plugins run concurrently (workers start in parallel, the web asks guards from
/// several requests), and calls to one plugin take turns, since a worker serves one request at a time.</remarks>
internal sealed class WorkerSupervisor(CrmStore store, PluginRuntimeOptions options, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<string, WorkerProcess> _workers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);
    private readonly PluginQuarantine _quarantine = new(store);
    private ConcurrentDictionary<string, QuarantinedPlugin> _quarantined = new(StringComparer.OrdinalIgnoreCase);

    private WorkerCommand Command => options.WorkerCommand
        ?? throw new InvalidOperationException("Plugin isolation 'process' needs the command that starts a worker (PluginRuntimeOptions.WorkerCommand).");

    /// <summary>Gets the plugins quarantined, by id, as last read from the store or set by this host.</summary>
    public IReadOnlyDictionary<string, QuarantinedPlugin> Quarantined => _quarantined;

    /// <summary>Reads the quarantined plugins again (another command may have set or ended a quarantine).</summary>
    public void Refresh() =>
        _quarantined = new(_quarantine.List().Select(q => KeyValuePair.Create(q.PluginId, q)), StringComparer.OrdinalIgnoreCase);

    /// <summary>Starts the plugin's worker and runs its startup there.</summary>
    /// <returns>What the plugin registered when it started, else why not (named, with the worker's exit and last lines).</returns>
    public async Task<(PluginShape? Shape, string? Problem)> StartAsync(PluginCandidate candidate, CancellationToken cancellationToken)
    {
        var turn = await TakeTurnAsync(candidate.Manifest.Id, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await EnsureAsync(candidate, cancellationToken).ConfigureAwait(false);
            return !result.Succeeded ? (null, result.Problem)
                : result.Value?.Shape is { } shape ? (shape, null)
                : (null, $"plugin '{candidate.Manifest.Id}': its worker did not say what the plugin registered.");
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Stops the plugin's worker, if it runs (the host will not call the plugin).</summary>
    public void Stop(string pluginId) => Drop(pluginId);

    /// <summary>Sends one call to the plugin's worker (started, with its startup, when there is none).</summary>
    /// <param name="candidate">The plugin.</param>
    /// <param name="call">The call in words, for failure reports: <c>reminder rule X</c>.</param>
    /// <param name="request">The request.</param>
    /// <param name="budget">How long the worker may take; it is killed after that.</param>
    /// <param name="cancellationToken">Stops the call (the worker is killed).</param>
    /// <returns>The reply, or the failure in one line naming the plugin.</returns>
    public async Task<CallResult<WorkerReply>> CallAsync(PluginCandidate candidate, string call, JsonObject request, TimeSpan budget, CancellationToken cancellationToken)
    {
        var id = candidate.Manifest.Id;
        if (_quarantined.TryGetValue(id, out var q))
        {
            return new CallResult<WorkerReply>(CallOutcome.Crashed, null, $"plugin '{id}': quarantined since {q.QuarantinedAt}; skipped.");
        }

        var turn = await TakeTurnAsync(id, cancellationToken).ConfigureAwait(false);
        try
        {
            var started = await EnsureAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (!started.Succeeded)
            {
                // The call was not made: the plugin did not start again after its worker ended.
                return started with { Outcome = CallOutcome.Crashed };
            }

            // The worker's own guard cancels the call at the budget and answers; the host kills it a little later if it cannot.
            request["budgetMs"] = budget.TotalMilliseconds;
            return await SendAsync(candidate, _workers[id], call, request, budget + Grace, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Waits until no other call is in the plugin's worker: it answers one request at a time, in order.</summary>
    private async Task<SemaphoreSlim> TakeTurnAsync(string id, CancellationToken cancellationToken)
    {
        var turn = _turns.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return turn;
    }

    private static TimeSpan Grace => TimeSpan.FromSeconds(2);

    private async Task<CallResult<WorkerReply>> EnsureAsync(PluginCandidate candidate, CancellationToken cancellationToken)
    {
        var id = candidate.Manifest.Id;
        if (_workers.TryGetValue(id, out var running) && !running.HasExited)
        {
            return new CallResult<WorkerReply>(CallOutcome.Succeeded, null, null);
        }

        Drop(id);
        var worker = WorkerProcess.Start(Command, options.WorkerMemoryMb, loggers);
        var logger = loggers.CreateLogger(id);
        _workers[id] = worker;
        var request = new JsonObject
        {
            ["op"] = "describe",
            ["directory"] = candidate.Directory,
            ["assembly"] = candidate.Manifest.AssemblyPath,
            ["provider"] = store.Provider.ToString(),
            ["connectionString"] = store.ConnectionString,
            // The facts a plugin reads name the currency their totals are in.
            ["baseCurrency"] = store.BaseCurrency,
            ["startupBudgetMs"] = options.StartupBudget.TotalMilliseconds,
            // Its own settings only: what the host was given for other plugins is not this worker's business.
            ["settings"] = WorkerProtocol.Settings(options.PluginSettings.Where(s => string.Equals(s.Key, id, StringComparison.OrdinalIgnoreCase))),
            // The lowest level the host logs for the plugin, so that the worker sends no record the host would drop.
            ["logLevel"] = (int)(Enum.GetValues<LogLevel>().FirstOrDefault(logger.IsEnabled, LogLevel.None)),
        };
        return await SendAsync(candidate, worker, "startup", request, options.StartupBudget + Grace + WorkerStart, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How long a worker process may take to start before its plugin's startup budget begins.</summary>
    private static TimeSpan WorkerStart => TimeSpan.FromSeconds(20);

    private async Task<CallResult<WorkerReply>> SendAsync(PluginCandidate candidate, WorkerProcess worker, string call, JsonObject request, TimeSpan budget,
        CancellationToken cancellationToken)
    {
        var id = candidate.Manifest.Id;
        WorkerReply? reply;
        bool overran;
        try
        {
            (reply, overran) = await worker.CallAsync(request, budget, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Drop(id);
            throw;
        }

        string problem;
        if (reply is { Ok: true })
        {
            return new CallResult<WorkerReply>(CallOutcome.Succeeded, reply, null);
        }

        if (reply is not null)
        {
            // The plugin threw: the worker answered for it and logged it (relayed here). As in process, that is the
            // plugin's failure to report, not its worker's; only a fatal one (overran, out of memory) counts as a crash.
            problem = reply.Problem ?? $"plugin '{id}': {call} failed";
            if (reply.Fatal != true)
            {
                return new CallResult<WorkerReply>(CallOutcome.Failed, null, problem);
            }

            Drop(id);
            problem += " The worker was ended.";
            overran = reply.TimedOut == true;
        }
        else
        {
            var how = overran
                ? $"{call} did not answer within its time budget of {budget.TotalSeconds:0.###} s; the worker was killed"
                : $"{call} ended its worker: {worker.DescribeExit()}";
            var tail = worker.Tail();
            problem = $"plugin '{id}': {how}{(tail.Length == 0 ? "" : "; last output: " + tail)}.";
            Drop(id);
        }

        Fail(id, call, problem, logged: reply is not null);
        return new CallResult<WorkerReply>(overran ? CallOutcome.TimedOut : CallOutcome.Crashed, null, problem);
    }

    private void Fail(string id, string call, string problem, bool logged)
    {
        var logger = loggers.CreateLogger(id);
        if (!logged)
        {
            logger.LogError("{Problem}", problem);
        }

        if (_quarantine.RecordFailure(id, call, problem, options.QuarantineAfter, options.QuarantineWindow) is { } quarantined)
        {
            _quarantined[id] = quarantined;
            logger.LogError("plugin '{Plugin}' is quarantined: {Reason}. 'crmx plugins enable {Plugin}' enables it again.", id, quarantined.Reason, id);
        }
    }

    private void Drop(string id)
    {
        if (_workers.TryRemove(id, out var worker))
        {
            worker.Kill();
            worker.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var worker in _workers.Values)
        {
            worker.Dispose();
        }

        _workers.Clear();
    }
}

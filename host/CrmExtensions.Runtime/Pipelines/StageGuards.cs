using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Workers;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Runtime.Pipelines;

/// <summary>A pipeline and the plugin that defines it.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Definition">The stages, moves and closing stages.</param>
public sealed record PipelineInfo(string PluginId, PipelineDefinition Definition)
{
    /// <summary>Gets the pipeline's name.</summary>
    public string Name => Definition.Name;

    /// <summary>Whether its definition allows the move (listed moves, or with none listed the next stage or the last).</summary>
    public bool Allows(StageMove move) => PluginWrites.IsAllowed(Definition, move);

    /// <summary>The stages a deal in <paramref name="from"/> may move to, in pipeline order.</summary>
    public IReadOnlyList<string> NextStages(string from) => PluginWrites.AllowedTargets(Definition, from);

    /// <summary><c>won</c> or <c>lost</c> when <paramref name="stage"/> closes a deal, else null.</summary>
    public string? Outcome(string stage) => PluginWrites.Outcome(Definition, stage);
}

/// <summary>A guard's refusal of a move: which plugin and guard, and why.</summary>
/// <param name="PluginId">The guard's plugin.</param>
/// <param name="Guard">The guard's type name.</param>
/// <param name="Reason">The guard's reason, or what went wrong when the guard failed.</param>
/// <param name="Failed">True when the guard threw or ran out of time rather than deciding; that counts as a refusal.</param>
public sealed record GuardRefusal(string PluginId, string Guard, string Reason, bool Failed)
{
    /// <summary>Gets <c>plugin/guard</c>.</summary>
    public string Source => PluginId + "/" + Guard;
}

/// <summary>Asks every loaded plugin's stage guards about a move, each under guard and within its budget.</summary>
/// <remarks>
/// Every guard of every plugin is asked, not only those of the deal's own plugin: a receivables plugin can hold back
/// deals of any pipeline. A guard that throws or overruns its budget refuses the move ("guard failed: …"): a move
/// nobody could check is not a move anybody allowed. The plugins are asked concurrently, and a plugin's guards
/// concurrently, so one that hangs costs one budget. In process isolation each plugin's guards run in its warm worker;
/// a worker that dies, overruns or cannot start refuses for each of its plugin's guards, naming the plugin.
/// </remarks>
internal sealed class StageGuards(PluginRuntimeOptions options, PluginGuard guard, WorkerSupervisor? workers, TimeProvider time)
{
    public async Task<IReadOnlyList<GuardRefusal>> CheckAsync(IReadOnlyList<HostedPlugin> plugins, Deal deal, StageMove move, CancellationToken cancellationToken)
    {
        var calls = plugins.Where(p => p.Shape.Guards.Count > 0).Select(p => workers is null
            ? InProcessAsync(p.InProcess, deal, move, cancellationToken)
            : InWorkerAsync(workers, p, deal, move, cancellationToken));
        var answers = await Task.WhenAll(calls).ConfigureAwait(false);
        return answers.SelectMany(a => a).ToList();
    }

    private async Task<IReadOnlyList<GuardRefusal>> InProcessAsync(LoadedPlugin plugin, Deal deal, StageMove move, CancellationToken cancellationToken) =>
        (await AskAsync(guard, options.CallBudget, plugin, deal, move, cancellationToken).ConfigureAwait(false))
            .Select(a => Refusal(plugin, a.Guard, a.Result)).OfType<GuardRefusal>().ToList();

    private async Task<IReadOnlyList<GuardRefusal>> InWorkerAsync(WorkerSupervisor supervisor, HostedPlugin plugin, Deal deal, StageMove move,
        CancellationToken cancellationToken)
    {
        var result = await WorkerCalls.CheckMoveAsync(supervisor, plugin, deal, move, time.GetUtcNow(), options.CallBudget, cancellationToken).ConfigureAwait(false);
        return result.Succeeded
            ? result.Value!
            : plugin.Shape.Guards.Select(name => new GuardRefusal(plugin.Id, name, "guard failed: " + result.Problem, true)).ToList();
    }

    /// <summary>Asks one plugin's guards, concurrently, in this process: the host in process, the plugin's worker for it.</summary>
    /// <returns>Each guard's answer, or what went wrong with it.</returns>
    internal static async Task<(Type Guard, CallResult<GuardDecision?> Result)[]> AskAsync(PluginGuard guard, TimeSpan budget, LoadedPlugin plugin, Deal deal,
        StageMove move, CancellationToken cancellationToken) =>
        await Task.WhenAll(plugin.Registrations.Guards.Select(async guardType => (guardType, await guard.RunAsync(plugin.Id, $"stage guard {guardType.Name}", budget,
            async token =>
            {
                var (scope, writes) = plugin.BeginUnit();
                await using (scope.ConfigureAwait(false))
                {
                    var stageGuard = (IStageGuard)scope.ServiceProvider.GetRequiredService(guardType);
                    var decision = await stageGuard.CheckAsync(deal, move, token).ConfigureAwait(false);
                    // A guard decides; it does not write. Anything it wrote is dropped.
                    writes.Seal();
                    return (GuardDecision?)decision;
                }
            }, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);

    /// <summary>The refusal a guard's answer makes, or null when it allows the move.</summary>
    internal static GuardRefusal? Refusal(LoadedPlugin plugin, Type guardType, CallResult<GuardDecision?> result) => result switch
    {
        { Succeeded: false } => new GuardRefusal(plugin.Id, guardType.Name, "guard failed: " + result.Problem, true),
        { Value: null } => new GuardRefusal(plugin.Id, guardType.Name, "guard failed: it returned no decision", true),
        { Value.Allowed: false } => new GuardRefusal(plugin.Id, guardType.Name, result.Value.Reason ?? "no reason given", false),
        _ => null,
    };
}

using System.Text.Json.Nodes;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Workers;

/// <summary>A rule's evaluation and a job's run made in the plugin's worker: the same results the in-process calls give,
/// so the runners apply them the same way.</summary>
internal static class WorkerCalls
{
    public static async Task<CallResult<ReminderRunner.Evaluation>> EvaluateRuleAsync(WorkerSupervisor workers, LoadedPlugin plugin, Type ruleType,
        ReminderContext context, TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["op"] = "evaluate-rule",
            ["rule"] = ruleType.FullName ?? ruleType.Name,
            ["today"] = WorkerProtocol.Day(context.Today),
            ["now"] = WorkerProtocol.Instant(context.Now),
            ["lastEvaluatedOn"] = context.LastEvaluatedOn is { } last ? WorkerProtocol.Day(last) : null,
            ["calendar"] = WorkerProtocol.Calendar(context.TimeZone, context.Calendar),
        };
        var reply = await workers.CallAsync(Candidate(plugin), $"reminder rule {ruleType.Name}", request, budget, cancellationToken).ConfigureAwait(false);
        return reply.Succeeded
            ? new CallResult<ReminderRunner.Evaluation>(CallOutcome.Succeeded, new ReminderRunner.Evaluation(
                WorkerProtocol.ReadOps(reply.Value!["ops"]),
                (reply.Value["returned"]?.AsArray() ?? []).Select(k => (string)k!).ToHashSet(StringComparer.Ordinal),
                (reply.Value["rejected"]?.AsArray() ?? []).Select(k => (string)k!).ToList()), null)
            : new CallResult<ReminderRunner.Evaluation>(reply.Outcome, null, reply.Problem);
    }

    public static async Task<CallResult<IReadOnlyList<WriteOp>>> RunJobAsync(WorkerSupervisor workers, LoadedPlugin plugin, JobContext context, TimeSpan budget,
        CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["op"] = "run-job",
            ["job"] = context.Name,
            ["slot"] = WorkerProtocol.Instant(context.Slot),
            ["now"] = WorkerProtocol.Instant(context.Now),
            ["today"] = WorkerProtocol.Day(context.Today),
            ["lastCompletedSlot"] = context.LastCompletedSlot is { } last ? WorkerProtocol.Instant(last) : null,
            ["calendar"] = WorkerProtocol.Calendar(context.TimeZone, context.Calendar),
        };
        var reply = await workers.CallAsync(Candidate(plugin), $"job {context.Name}", request, budget, cancellationToken).ConfigureAwait(false);
        return reply.Succeeded
            ? new CallResult<IReadOnlyList<WriteOp>>(CallOutcome.Succeeded, WorkerProtocol.ReadOps(reply.Value!["ops"]), null)
            : new CallResult<IReadOnlyList<WriteOp>>(reply.Outcome, null, reply.Problem);
    }

    private static PluginCandidate Candidate(LoadedPlugin plugin) => new(plugin.Directory, plugin.Manifest);
}

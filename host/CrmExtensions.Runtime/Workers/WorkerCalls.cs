using System.Text.Json;
using System.Text.Json.Nodes;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Workers;

/// <summary>A rule's evaluation and a job's run made in the plugin's worker: the same results the in-process calls give,
/// so the runners apply them the same way.</summary>
internal static class WorkerCalls
{
    /// <param name="run">Names the runner's run: the worker keeps the plugin's committed keys for the rules of one run.</param>
    public static Task<CallResult<ReminderRunner.Evaluation>> EvaluateRuleAsync(WorkerSupervisor workers, LoadedPlugin plugin, Type ruleType,
        ReminderContext context, string run, TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = Request("evaluate-rule", context.Now, context.Today, context.TimeZone, context.Calendar);
        request["rule"] = ruleType.FullName ?? ruleType.Name;
        request["run"] = run;
        request["lastEvaluatedOn"] = context.LastEvaluatedOn is { } last ? WorkerProtocol.Day(last) : null;
        return CallAsync(workers, plugin, $"reminder rule {ruleType.Name}", request, budget, reply => new ReminderRunner.Evaluation(
            reply.Ops ?? [], (reply.Returned ?? []).ToHashSet(StringComparer.Ordinal), reply.Rejected?.ToList() ?? []), cancellationToken);
    }

    public static Task<CallResult<IReadOnlyList<WriteOp>>> RunJobAsync(WorkerSupervisor workers, LoadedPlugin plugin, JobContext context, TimeSpan budget,
        CancellationToken cancellationToken)
    {
        var request = Request("run-job", context.Now, context.Today, context.TimeZone, context.Calendar);
        request["job"] = context.Name;
        request["slot"] = WorkerProtocol.Instant(context.Slot);
        request["lastCompletedSlot"] = context.LastCompletedSlot is { } last ? WorkerProtocol.Instant(last) : null;
        return CallAsync<IReadOnlyList<WriteOp>>(workers, plugin, $"job {context.Name}", request, budget, reply => reply.Ops ?? [], cancellationToken);
    }

    /// <summary>Runs an event handler on one event in its plugin's worker.</summary>
    /// <returns>The handler's writes, for the host to commit with the handler's cursor.</returns>
    public static Task<CallResult<IReadOnlyList<WriteOp>>> HandleEventAsync(WorkerSupervisor workers, LoadedPlugin plugin, HandlerRegistration handler,
        CrmEvent crmEvent, DateTimeOffset now, TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["op"] = "handle-event",
            ["now"] = WorkerProtocol.Instant(now),
            ["handler"] = handler.Name,
            ["event"] = JsonSerializer.SerializeToNode(crmEvent, WorkerProtocol.Json),
        };
        return CallAsync<IReadOnlyList<WriteOp>>(workers, plugin, Events.EventDispatcher.Call(handler, crmEvent), request, budget,
            reply => reply.Ops ?? [], cancellationToken);
    }

    /// <summary>Asks the plugin's stage guards about a move in its worker.</summary>
    /// <returns>The refusals of its guards (none when they allow the move), or why the worker could not answer.</returns>
    public static Task<CallResult<IReadOnlyList<GuardRefusal>>> CheckMoveAsync(WorkerSupervisor workers, LoadedPlugin plugin, Deal deal, StageMove move,
        DateTimeOffset now, TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["op"] = "check-move",
            ["now"] = WorkerProtocol.Instant(now),
            ["deal"] = JsonSerializer.SerializeToNode(deal, WorkerProtocol.Json),
            ["move"] = JsonSerializer.SerializeToNode(move, WorkerProtocol.Json),
        };
        return CallAsync<IReadOnlyList<GuardRefusal>>(workers, plugin, "stage guards", request, budget,
            reply => reply.Refusals ?? [], cancellationToken);
    }

    /// <summary>What every call tells the worker: the instant, the day and the calendar (<see cref="WorkerProtocol.ReadCall"/> reads them).</summary>
    private static JsonObject Request(string op, DateTimeOffset now, DateOnly today, TimeZoneInfo zone, WorkingCalendar calendar) => new()
    {
        ["op"] = op,
        ["now"] = WorkerProtocol.Instant(now),
        ["today"] = WorkerProtocol.Day(today),
        ["calendar"] = WorkerProtocol.Calendar(zone, calendar),
    };

    private static async Task<CallResult<T>> CallAsync<T>(WorkerSupervisor workers, LoadedPlugin plugin, string call, JsonObject request, TimeSpan budget,
        Func<WorkerReply, T> read, CancellationToken cancellationToken)
    {
        var reply = await workers.CallAsync(new PluginCandidate(plugin.Directory, plugin.Manifest), call, request, budget, cancellationToken).ConfigureAwait(false);
        return reply.Succeeded
            ? new CallResult<T>(CallOutcome.Succeeded, read(reply.Value!), null)
            : new CallResult<T>(reply.Outcome, default, reply.Problem);
    }
}

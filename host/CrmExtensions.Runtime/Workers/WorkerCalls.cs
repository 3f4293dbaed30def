using System.Text.Json;
using System.Text.Json.Nodes;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Runtime.Reports;
using CrmExtensions.Runtime.Workspace;
using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Workers;

/// <summary>Every call the host makes into a plugin's worker (a rule's evaluation, a job's run, an event, a guard's check, a
/// report, a listing, a panel or page): the same results the in-process calls give, so the callers use them the same way.</summary>
internal static class WorkerCalls
{
    /// <param name="run">Names the runner's run: the worker keeps the plugin's committed keys for the rules of one run.</param>
    public static Task<CallResult<ReminderRunner.Evaluation>> EvaluateRuleAsync(WorkerSupervisor workers, HostedPlugin plugin, RuleShape rule,
        ReminderContext context, string run, TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = Request("evaluate-rule", context.Now, context.Today, context.TimeZone, context.Calendar);
        request["rule"] = rule.Name;
        request["run"] = run;
        request["lastEvaluatedOn"] = context.LastEvaluatedOn is { } last ? WorkerProtocol.Day(last) : null;
        return CallAsync(workers, plugin, ReminderRunner.Call(rule), request, budget, reply => new ReminderRunner.Evaluation(
            reply.Ops ?? [], (reply.Returned ?? []).ToHashSet(StringComparer.Ordinal), reply.Rejected?.ToList() ?? []), cancellationToken);
    }

    public static Task<CallResult<IReadOnlyList<WriteOp>>> RunJobAsync(WorkerSupervisor workers, HostedPlugin plugin, JobContext context, TimeSpan budget,
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
    public static Task<CallResult<IReadOnlyList<WriteOp>>> HandleEventAsync(WorkerSupervisor workers, HostedPlugin plugin, HandlerShape handler,
        CrmEvent crmEvent, DateTimeOffset now, TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = Request("handle-event", now);
        request["handler"] = handler.Name;
        request["event"] = JsonSerializer.SerializeToNode(crmEvent, WorkerProtocol.Json);
        return CallAsync<IReadOnlyList<WriteOp>>(workers, plugin, Events.EventDispatcher.Call(handler.Title, crmEvent), request, budget,
            reply => reply.Ops ?? [], cancellationToken);
    }

    /// <summary>Asks the plugin's stage guards about a move in its worker.</summary>
    /// <returns>The refusals of its guards (none when they allow the move), or why the worker could not answer.</returns>
    public static Task<CallResult<IReadOnlyList<GuardRefusal>>> CheckMoveAsync(WorkerSupervisor workers, HostedPlugin plugin, Deal deal, StageMove move,
        DateTimeOffset now, TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = Request("check-move", now);
        request["deal"] = JsonSerializer.SerializeToNode(deal, WorkerProtocol.Json);
        request["move"] = JsonSerializer.SerializeToNode(move, WorkerProtocol.Json);
        return CallAsync<IReadOnlyList<GuardRefusal>>(workers, plugin, "stage guards", request, budget,
            reply => reply.Refusals ?? [], cancellationToken);
    }

    /// <summary>Runs one of the plugin's reports in its worker.</summary>
    /// <returns>The table (null when the plugin has no such report), or why the worker could not give it.</returns>
    public static Task<CallResult<ReportTable?>> RunReportAsync(WorkerSupervisor workers, HostedPlugin plugin, string report, ReportRequest range,
        DateTimeOffset now, TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = Request("run-report", now);
        request["report"] = report;
        request["range"] = JsonSerializer.SerializeToNode(range, WorkerProtocol.Json);
        return CallAsync(workers, plugin, PluginReports.Call(report), request, budget, reply => reply.Table, cancellationToken);
    }

    /// <summary>Lists the plugin's reports or pages, by name and title, in its worker.</summary>
    public static Task<CallResult<IReadOnlyList<PluginListing>>> ListAsync(WorkerSupervisor workers, HostedPlugin plugin, ListingKind kind, DateTimeOffset now,
        TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = Request("list", now);
        request["kind"] = kind.ToString();
        return CallAsync<IReadOnlyList<PluginListing>>(workers, plugin, PluginListings.Call(kind), request, budget, reply => reply.Listing ?? [], cancellationToken);
    }

    /// <summary>Renders the plugin's panels for a client's card in its worker.</summary>
    /// <returns>The panels with something to show (a failed one with its problem), or why the worker could not render them.</returns>
    public static Task<CallResult<IReadOnlyList<PluginView>>> RenderPanelsAsync(WorkerSupervisor workers, HostedPlugin plugin, string clientId, DateTimeOffset now,
        TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = Request("render-panels", now);
        request["client"] = clientId;
        return CallAsync<IReadOnlyList<PluginView>>(workers, plugin, "client panels", request, budget, reply => reply.Views ?? [], cancellationToken);
    }

    /// <summary>Renders the plugin's page named <paramref name="name"/> in its worker.</summary>
    /// <returns>The page (none when the plugin has no such page), or why the worker could not render it.</returns>
    public static Task<CallResult<IReadOnlyList<PluginView>>> RenderPageAsync(WorkerSupervisor workers, HostedPlugin plugin, string name, DateTimeOffset now,
        TimeSpan budget, CancellationToken cancellationToken)
    {
        var request = Request("render-page", now);
        request["page"] = name;
        return CallAsync<IReadOnlyList<PluginView>>(workers, plugin, $"page {name}", request, budget, reply => reply.Views ?? [], cancellationToken);
    }

    /// <summary>What a call that is not a rule's or a job's tells the worker: the instant its writes, if any, would be stamped with.</summary>
    private static JsonObject Request(string op, DateTimeOffset now) => new()
    {
        ["op"] = op,
        ["now"] = WorkerProtocol.Instant(now),
    };

    /// <summary>What every call tells the worker: the instant, the day and the calendar (<see cref="WorkerProtocol.ReadCall"/> reads them).</summary>
    private static JsonObject Request(string op, DateTimeOffset now, DateOnly today, TimeZoneInfo zone, WorkingCalendar calendar)
    {
        var request = Request(op, now);
        request["today"] = WorkerProtocol.Day(today);
        request["calendar"] = WorkerProtocol.Calendar(zone, calendar);
        return request;
    }

    private static async Task<CallResult<T>> CallAsync<T>(WorkerSupervisor workers, HostedPlugin plugin, string call, JsonObject request, TimeSpan budget,
        Func<WorkerReply, T> read, CancellationToken cancellationToken)
    {
        var reply = await workers.CallAsync(plugin.Candidate, call, request, budget, cancellationToken).ConfigureAwait(false);
        return reply.Succeeded
            ? new CallResult<T>(CallOutcome.Succeeded, read(reply.Value!), null)
            : new CallResult<T>(reply.Outcome, default, reply.Problem);
    }
}

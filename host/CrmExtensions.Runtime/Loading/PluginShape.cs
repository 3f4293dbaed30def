using System.Globalization;
using System.Text.Json.Serialization;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;

namespace CrmExtensions.Runtime.Loading;

/// <summary>What a plugin registered in its startup, by name: all the host needs to schedule, route, list and name its calls
/// without its code. Read from the registrations where the startup ran: the host's own in process isolation, the plugin's
/// worker (which sends it in its <c>describe</c> reply) in process isolation.</summary>
/// <param name="Rules">The reminder rules, in registration order.</param>
/// <param name="Handlers">The event handlers and what they subscribed to.</param>
/// <param name="Jobs">The scheduled jobs.</param>
/// <param name="Guards">The stage guards' type names.</param>
/// <param name="Reports">The reports' type names (their names and titles are listed by a call: only the plugin knows them).</param>
/// <param name="Panels">The client panels' type names.</param>
/// <param name="Pages">The pages' type names.</param>
/// <param name="Pipelines">The pipelines it defines.</param>
/// <param name="Contributes">All of it in one line, for <c>crmx plugins list</c>.</param>
internal sealed record PluginShape(
    IReadOnlyList<RuleShape> Rules,
    IReadOnlyList<HandlerShape> Handlers,
    IReadOnlyList<JobShape> Jobs,
    IReadOnlyList<string> Guards,
    IReadOnlyList<string> Reports,
    IReadOnlyList<string> Panels,
    IReadOnlyList<string> Pages,
    IReadOnlyList<PipelineDefinition> Pipelines,
    string Contributes)
{
    public static PluginShape Of(LoadedPlugin plugin)
    {
        var r = plugin.Registrations;
        return new PluginShape(
            r.Reminders.Select(t => new RuleShape(Name(t), t.Name, t.IsDefined(typeof(EvaluateEveryCycleAttribute), inherit: false))).ToList(),
            r.Handlers.Select(h => new HandlerShape(h.Name, h.Type.Name, h.EventTypes)).ToList(),
            r.Jobs.Select(j => JobShape.Of(j.Name, j.Schedule)).ToList(),
            r.Guards.Select(t => t.Name).ToList(),
            r.Reports.Select(t => t.Name).ToList(),
            r.Panels.Select(t => t.Name).ToList(),
            r.Pages.Select(t => t.Name).ToList(),
            r.Pipelines,
            r.Describe(plugin.Templates.Names.Count));
    }

    /// <summary>A registered type's stable name, which the host and the worker both call it by.</summary>
    public static string Name(Type type) => type.FullName ?? type.Name;
}

/// <summary>A reminder rule, by name.</summary>
/// <param name="Name">Its stable name (the type's full name), which keys its runs in the store.</param>
/// <param name="Title">Its type's name, for progress and failure reports.</param>
/// <param name="EveryCycle">Whether it is marked <see cref="EvaluateEveryCycleAttribute"/>.</param>
internal sealed record RuleShape(string Name, string Title, bool EveryCycle);

/// <summary>An event handler, by name, and the event types it subscribed to (none = every event).</summary>
/// <param name="Name">Its stable name, which keys its delivery state in the store.</param>
/// <param name="Title">Its type's name, for failure reports.</param>
/// <param name="EventTypes">What it subscribed to.</param>
internal sealed record HandlerShape(string Name, string Title, IReadOnlyList<string> EventTypes)
{
    public bool Wants(string eventType) => EventTypes.Count == 0 || EventTypes.Contains(eventType, StringComparer.Ordinal);
}

/// <summary>A scheduled job: its name and schedule (a daily time or a period in seconds).</summary>
/// <param name="Name">Its name in the plugin.</param>
/// <param name="DailyAt">The time of day it runs at (round-trip format, <c>HH:mm:ss.fffffff</c>), or null.</param>
/// <param name="EverySeconds">Its period, or null.</param>
internal sealed record JobShape(string Name, string? DailyAt, long? EverySeconds)
{
    public static JobShape Of(string name, JobSchedule schedule) =>
        new(name, schedule.DailyTime?.ToString("O", CultureInfo.InvariantCulture), (long?)schedule.Interval?.TotalSeconds);

    [JsonIgnore]
    public JobSchedule Schedule => EverySeconds is { } seconds
        ? JobSchedule.Every(TimeSpan.FromSeconds(seconds))
        : JobSchedule.DailyAt(TimeOnly.ParseExact(DailyAt!, "O", CultureInfo.InvariantCulture));
}

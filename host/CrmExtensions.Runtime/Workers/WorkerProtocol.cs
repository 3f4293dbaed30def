using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Workers;

/// <summary>What the host and a plugin worker say to each other: one JSON object per line, requests on the worker's
/// standard input, replies on its standard output (its standard error is its log).</summary>
/// <remarks>
/// Requests: <c>describe</c> (the plugin's folder and main assembly, the store's connection, its settings; runs its startup
/// and answers with what it registered, by name: the host learns it from here, never by loading the plugin itself),
/// <c>evaluate-rule</c> (with the runner's <c>run</c>, for which the worker keeps the committed keys), <c>run-job</c> and
/// <c>check-move</c> (a deal and a move; the plugin's guards' refusals), <c>handle-event</c>, <c>run-report</c> (the report's
/// table), <c>list</c> (its reports' or pages' names and titles), <c>render-panels</c> and <c>render-page</c> (the rendered HTML,
/// or each view's problem). Every reply has <c>ok</c>; a failed one has <c>problem</c>, and
/// <c>timedOut</c> when the call overran its budget inside the worker. A rule's reply carries its write operations,
/// which the host applies in its own transaction: the worker reads the store, never writes it. A reply is one
/// <see cref="WorkerReply"/>: its writes in binary frames ahead (<see cref="WriteOpCodec"/>), then the rest as one line,
/// written by <see cref="ReplyWriter"/> and read by <see cref="ReplyReader"/>.
/// </remarks>
internal static class WorkerProtocol
{
    /// <summary>How requests and replies are written: web names, nulls left out.</summary>
    /// <remarks>Text is written as UTF-8, not escaped: the JSON goes down a pipe to the host, never into a page, and a
    /// Russian mail's body escaped as <c>\uXXXX</c> is three times the bytes to write, send and read.</remarks>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject Calendar(TimeZoneInfo zone, WorkingCalendar calendar)
    {
        var holidays = calendar.Holidays;
        var workingWeekends = new List<DateOnly>();
        if (holidays.Count > 0)
        {
            // The SDK's calendar does not list its worked weekends; every one lies in the years its holidays cover.
            for (var day = new DateOnly(holidays[0].Year, 1, 1); day <= new DateOnly(holidays[^1].Year, 12, 31); day = day.AddDays(1))
            {
                if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && calendar.IsWorkingDay(day))
                {
                    workingWeekends.Add(day);
                }
            }
        }

        return new JsonObject
        {
            ["timeZone"] = zone.Id,
            ["holidays"] = Days(holidays),
            ["workingWeekends"] = Days(workingWeekends),
        };
    }

    /// <summary>A plugin's settings (section, then key and value) as the <c>describe</c> request carries them.</summary>
    public static JsonObject Settings(IEnumerable<KeyValuePair<string, IReadOnlyDictionary<string, string>>> settings) =>
        new(settings.Select(section => KeyValuePair.Create(section.Key,
            (JsonNode?)new JsonObject(section.Value.Select(setting => KeyValuePair.Create(setting.Key, (JsonNode?)setting.Value))))));

    public static Dictionary<string, IReadOnlyDictionary<string, string>> ReadSettings(JsonNode? node) =>
        (node?.AsObject() ?? []).ToDictionary(section => section.Key,
            section => (IReadOnlyDictionary<string, string>)section.Value!.AsObject().ToDictionary(setting => setting.Key, setting => (string)setting.Value!),
            StringComparer.OrdinalIgnoreCase);

    public static (TimeZoneInfo Zone, WorkingCalendar Calendar) ReadCalendar(JsonNode? node)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById((string?)node?["timeZone"] ?? "UTC");
        var holidays = ReadDays(node?["holidays"]);
        var worked = ReadDays(node?["workingWeekends"]);
        return (zone, holidays.Count == 0 && worked.Count == 0 ? WorkingCalendar.Weekends : new WorkingCalendar(holidays, worked));
    }

    /// <summary>What every rule's and job's request carries (as <c>WorkerCalls</c> writes it): the instant, the day, the calendar and the budget.</summary>
    public static (DateTimeOffset Now, DateOnly Today, TimeZoneInfo Zone, WorkingCalendar Calendar, TimeSpan Budget) ReadCall(JsonObject request)
    {
        var (zone, calendar) = ReadCalendar(request["calendar"]);
        return (ReadInstant(request["now"])!.Value, ReadDay(request["today"])!.Value, zone, calendar, TimeSpan.FromMilliseconds((double)request["budgetMs"]!));
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Days, settings and replies are written and read by hand, as the serializer would write them: its reflection over
    // each type, and the code it compiles for it, cost every worker's start more than the little it would read.
    private static JsonArray Days(IEnumerable<DateOnly> days) => new(days.Select(day => (JsonNode?)Day(day)).ToArray());

    private static List<DateOnly> ReadDays(JsonNode? node) => node?.AsArray().Select(day => ReadDay(day)!.Value).ToList() ?? [];

    public static DateOnly? ReadDay(JsonNode? node) =>
        (string?)node is { } text ? DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    public static DateTimeOffset? ReadInstant(JsonNode? node) =>
        (string?)node is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;

    public static string Instant(DateTimeOffset instant) => instant.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>A worker's reply to any request: its writes sent ahead in binary frames (<see cref="WriteOpCodec"/>), the rest
/// serialised as one line; read back by <see cref="ReplyReader"/>.</summary>
internal sealed record WorkerReply
{
    public bool Ok { get; init; }

    /// <summary>Gets why the call failed, in one line naming the plugin.</summary>
    public string? Problem { get; init; }

    /// <summary>Gets whether the worker ends after this reply (the call overran, or exhausted the process).</summary>
    public bool? Fatal { get; init; }

    /// <summary>Gets whether the call overran its budget in the worker.</summary>
    public bool? TimedOut { get; init; }

    /// <summary>Gets the writes a rule, job or event handler asked for: never in the line, always in the frames ahead of it.</summary>
    [JsonIgnore]
    public IReadOnlyList<WriteOp>? Ops { get; init; }

    /// <summary>Gets the keys a rule returned.</summary>
    public IReadOnlyList<string>? Returned { get; init; }

    /// <summary>Gets the reminders a rule returned that the host refuses.</summary>
    public IReadOnlyList<string>? Rejected { get; init; }

    /// <summary>Gets the refusals of a plugin's stage guards.</summary>
    public IReadOnlyList<GuardRefusal>? Refusals { get; init; }

    /// <summary>Gets a report's table (none when the plugin has no such report).</summary>
    public ReportTable? Table { get; init; }

    /// <summary>Gets the plugin's reports or pages, by name and title.</summary>
    public IReadOnlyList<Workspace.PluginListing>? Listing { get; init; }

    /// <summary>Gets the rendered panels or page.</summary>
    public IReadOnlyList<Workspace.PluginView>? Views { get; init; }

    /// <summary>Gets the plugin's id, once its startup ran.</summary>
    public string? Id { get; init; }

    /// <summary>Gets what the plugin registered, by name, once its startup ran.</summary>
    public Loading.PluginShape? Shape { get; init; }
}

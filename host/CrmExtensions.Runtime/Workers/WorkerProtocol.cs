using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Workers;

/// <summary>What the host and a plugin worker say to each other: one JSON object per line, requests on the worker's
/// standard input, replies on its standard output (its standard error is its log).</summary>
/// <remarks>
/// Requests: <c>describe</c> (the plugin's folder and main assembly, the store's connection, its settings; runs its startup),
/// <c>evaluate-rule</c> (with the runner's <c>run</c>, for which the worker keeps the committed keys), <c>run-job</c> and
/// <c>check-move</c> (a deal and a move; the plugin's guards' refusals). Every reply has <c>ok</c>; a failed one has <c>problem</c>, and
/// <c>timedOut</c> when the call overran its budget inside the worker. A rule's reply carries its write operations,
/// which the host applies in its own transaction: the worker reads the store, never writes it.
/// </remarks>
internal static class WorkerProtocol
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, Type> OpTypes = new[]
    {
        typeof(AddActivityOp), typeof(OpenDealOp), typeof(MoveDealOp), typeof(AddReminderOp), typeof(QueueMailOp), typeof(SetDataOp), typeof(SetClientTagOp),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static JsonArray WriteOps(IEnumerable<WriteOp> ops)
    {
        var array = new JsonArray();
        foreach (var op in ops)
        {
            // A reminder's mail is applied from its QueueMailOp; the reminder keeps only the mail's key, not the plugin's model.
            var sent = op is AddReminderOp { Reminder.Mail: { } mail } add
                ? add with { Reminder = Copy(add.Reminder, new OutgoingMail { Key = mail.Key, Template = mail.Template, To = mail.To }) }
                : op;
            array.Add(new JsonObject { ["kind"] = op.GetType().Name, ["op"] = JsonSerializer.SerializeToNode(sent, op.GetType(), Json) });
        }

        return array;
    }

    public static List<WriteOp> ReadOps(JsonNode? node) =>
        (node?.AsArray() ?? []).Select(o =>
        {
            var kind = (string?)o!["kind"] ?? "";
            return OpTypes.TryGetValue(kind, out var type)
                ? (WriteOp)(o["op"].Deserialize(type, Json) ?? throw new InvalidDataException($"The worker sent an empty {kind}."))
                : throw new InvalidDataException($"The worker sent an unknown write '{kind}'.");
        }).ToList();

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
            ["holidays"] = JsonSerializer.SerializeToNode(holidays, Json),
            ["workingWeekends"] = JsonSerializer.SerializeToNode(workingWeekends, Json),
        };
    }

    public static (TimeZoneInfo Zone, WorkingCalendar Calendar) ReadCalendar(JsonNode? node)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById((string?)node?["timeZone"] ?? "UTC");
        var holidays = node?["holidays"].Deserialize<List<DateOnly>>(Json) ?? [];
        var worked = node?["workingWeekends"].Deserialize<List<DateOnly>>(Json) ?? [];
        return (zone, holidays.Count == 0 && worked.Count == 0 ? WorkingCalendar.Weekends : new WorkingCalendar(holidays, worked));
    }

    /// <summary>What every rule's and job's request carries (as <c>WorkerCalls</c> writes it): the instant, the day, the calendar and the budget.</summary>
    public static (DateTimeOffset Now, DateOnly Today, TimeZoneInfo Zone, WorkingCalendar Calendar, TimeSpan Budget) ReadCall(JsonObject request)
    {
        var (zone, calendar) = ReadCalendar(request["calendar"]);
        return (ReadInstant(request["now"])!.Value, ReadDay(request["today"])!.Value, zone, calendar, TimeSpan.FromMilliseconds((double)request["budgetMs"]!));
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ReadDay(JsonNode? node) =>
        (string?)node is { } text ? DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    public static DateTimeOffset? ReadInstant(JsonNode? node) =>
        (string?)node is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;

    public static string Instant(DateTimeOffset instant) => instant.ToString("O", CultureInfo.InvariantCulture);

    private static Reminder Copy(Reminder r, OutgoingMail mail) => new()
    {
        Key = r.Key, Title = r.Title, DueOn = r.DueOn, Counterparty = r.Counterparty, Mail = mail, ClientId = r.ClientId, Manager = r.Manager, Notes = r.Notes,
    };
}

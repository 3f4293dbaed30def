using System.Globalization;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Store;

namespace CrmExtensions.Application.Configuration;

/// <summary>Turns the <c>reminders</c> section into the runtime's settings, with every problem listed at once.</summary>
internal static class ReminderConfiguration
{
    /// <exception cref="CrmException">The zone, the calendar or a day is not understood.</exception>
    public static ReminderSettings Settings(RemindersOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var zone = time.LocalTimeZone;
        if (!string.IsNullOrWhiteSpace(options.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone.Trim(), out zone))
        {
            problems.Add($"reminders:timeZone: unknown time zone '{options.TimeZone}'; use an IANA id such as 'Europe/Moscow' or 'Asia/Yekaterinburg'.");
        }

        var holidays = Days("holidays", options.Holidays, problems);
        var worked = Days("workingWeekends", options.WorkingWeekends, problems);
        WorkingCalendar? calendar = options.Calendar?.Trim().ToLowerInvariant() switch
        {
            "ru" or "" or null => RussianCalendar.Create(holidays, worked),
            "weekends" => new WorkingCalendar(holidays, worked),
            _ => null,
        };
        if (calendar is null)
        {
            problems.Add($"reminders:calendar: unknown calendar '{options.Calendar}'; use 'ru' (Russian public holidays) or 'weekends'.");
        }

        if (problems.Count > 0)
        {
            throw new CrmException(string.Join('\n', problems));
        }

        return new ReminderSettings { TimeZone = zone ?? TimeZoneInfo.Utc, Calendar = calendar! };
    }

    private static List<DateOnly> Days(string name, IEnumerable<string> values, List<string> problems)
    {
        var days = new List<DateOnly>();
        foreach (var value in values)
        {
            if (DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                days.Add(day);
            }
            else
            {
                problems.Add($"reminders:{name}: '{value}' is not a date as yyyy-MM-dd.");
            }
        }

        return days;
    }
}

using CrmExtensions.Sdk.Reminders;

namespace CrmExtensions.Runtime.Reminders;

/// <summary>The time zone and working calendar reminder rules are evaluated in, and tasks are shown by.</summary>
public sealed class ReminderSettings
{
    /// <summary>Gets the settings of a host that knows no better: UTC, Saturdays and Sundays off.</summary>
    public static ReminderSettings Default { get; } = new();

    /// <summary>Gets the zone in which "today" is reckoned.</summary>
    /// <value>UTC.</value>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Gets the working days: a task due on another day is shown as due on the next working day.</summary>
    /// <value>Saturdays and Sundays off.</value>
    public WorkingCalendar Calendar { get; init; } = WorkingCalendar.Weekends;

    /// <summary>Returns the day it is in <see cref="TimeZone"/> at an instant.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The local day.</returns>
    public DateOnly Today(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>Returns the day a task due on <paramref name="dueOn"/> is shown as due: that day, or the next working day.</summary>
    /// <param name="dueOn">The day the rule gave.</param>
    /// <returns>The first working day on or after it.</returns>
    public DateOnly ShownDueOn(DateOnly dueOn) => Calendar.NextWorkingDay(dueOn);

    /// <summary>Returns the last stored due day that is shown on or before <paramref name="day"/>.</summary>
    /// <remarks>
    /// Shifting to the next working day keeps the order of days, so "shown as due by D" is "stored due on or before this
    /// day": D itself when it is a working day, else the last working day before it.
    /// </remarks>
    /// <param name="day">The day.</param>
    /// <returns>The bound for the stored due day.</returns>
    public DateOnly DueBound(DateOnly day)
    {
        if (Calendar.IsWorkingDay(day))
        {
            return day;
        }

        // Days before D that are not working days shift to the first working day after them, which is after D too.
        var bound = day.AddDays(-1);
        for (var i = 0; i < 366 && !Calendar.IsWorkingDay(bound); i++)
        {
            bound = bound.AddDays(-1);
        }

        return bound;
    }
}

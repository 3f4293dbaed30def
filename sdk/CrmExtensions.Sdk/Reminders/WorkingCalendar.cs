namespace CrmExtensions.Sdk.Reminders;

/// <summary>Which days are working days: Saturdays and Sundays are not, nor the listed holidays; listed working weekends are (SDK 1.1).</summary>
public sealed class WorkingCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workingWeekends;

    /// <summary>Initializes a calendar.</summary>
    /// <param name="holidays">Days off that fall on weekdays.</param>
    /// <param name="workingWeekends">Saturdays or Sundays that are worked (moved working days).</param>
    public WorkingCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly>? workingWeekends = null)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        _holidays = [.. holidays];
        _workingWeekends = [.. workingWeekends ?? []];
    }

    /// <summary>Gets a calendar with weekends only and no holidays.</summary>
    public static WorkingCalendar Weekends { get; } = new([]);

    /// <summary>Gets the holidays, in date order.</summary>
    public IReadOnlyList<DateOnly> Holidays => [.. _holidays.Order()];

    /// <summary>Tells whether a day is a working day.</summary>
    /// <param name="day">The day.</param>
    /// <returns>True for a working day.</returns>
    public bool IsWorkingDay(DateOnly day) =>
        _workingWeekends.Contains(day) || (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day));

    /// <summary>Returns the day itself when it is a working day, else the next working day.</summary>
    /// <param name="day">The day.</param>
    /// <returns>The first working day on or after <paramref name="day"/>.</returns>
    public DateOnly NextWorkingDay(DateOnly day)
    {
        for (var i = 0; i < 366; i++, day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                return day;
            }
        }

        throw new InvalidOperationException("The calendar has no working day within a year.");
    }
}

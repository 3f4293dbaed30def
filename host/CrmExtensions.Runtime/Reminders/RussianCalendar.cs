using CrmExtensions.Sdk.Reminders;

namespace CrmExtensions.Runtime.Reminders;

/// <summary>The Russian production calendar's fixed days off, with the moved days a company configures itself.</summary>
/// <remarks>
/// Fixed non-working public holidays (Labour Code, article 112): 1–8 January, 23 February, 8 March, 1 May, 9 May,
/// 12 June and 4 November, every year. The government moves some days each year (a Saturday worked, a Friday off):
/// those are not predictable and come from configuration (<c>reminders:holidays</c>, <c>reminders:workingWeekends</c>).
/// </remarks>
public static class RussianCalendar
{
    private static readonly (int Month, int Day)[] FixedHolidays =
    [
        (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4),
    ];

    /// <summary>Gets the first year the calendar covers.</summary>
    public const int FirstYear = 2000;

    /// <summary>Gets the last year the calendar covers.</summary>
    public const int LastYear = 2099;

    /// <summary>Returns the fixed public holidays of a year.</summary>
    /// <param name="year">The year.</param>
    /// <returns>The days, in order.</returns>
    public static IEnumerable<DateOnly> Holidays(int year) => FixedHolidays.Select(h => new DateOnly(year, h.Month, h.Day));

    /// <summary>Creates the calendar for <see cref="FirstYear"/>–<see cref="LastYear"/>.</summary>
    /// <param name="extraHolidays">Moved days off (e.g. a Friday between a holiday and the weekend).</param>
    /// <param name="workingWeekends">Saturdays or Sundays that are worked in exchange.</param>
    /// <returns>The calendar.</returns>
    public static WorkingCalendar Create(IEnumerable<DateOnly>? extraHolidays = null, IEnumerable<DateOnly>? workingWeekends = null)
    {
        var days = Enumerable.Range(FirstYear, LastYear - FirstYear + 1).SelectMany(Holidays).Concat(extraHolidays ?? []);
        return new WorkingCalendar(days, workingWeekends);
    }
}

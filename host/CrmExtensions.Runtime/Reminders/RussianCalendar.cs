using System.Globalization;
using System.Text.Json;
using CrmExtensions.Sdk.Reminders;

namespace CrmExtensions.Runtime.Reminders;

/// <summary>The Russian production calendar: per-year calendars from the government's decrees on moving days off,
/// article 112 of the Labour Code for other years, and the moved days a company configures itself.</summary>
/// <remarks>
/// Fixed non-working public holidays (Labour Code, article 112): 1–8 January, 23 February, 8 March, 1 May, 9 May,
/// 12 June and 4 November, every year. Each year the government moves some days off by decree (a Saturday worked, a
/// Friday off); the published years are kept in <c>RussianCalendar.json</c> beside this file, with the decree named.
/// For any other year article 112 alone applies: a holiday that falls on a Saturday or Sunday gives the next working
/// day off, except the January holidays (whose two days the decree places, and which cannot be foreseen). Further moved
/// days come from configuration (<c>reminders:holidays</c>, <c>reminders:workingWeekends</c>).
/// </remarks>
public static class RussianCalendar
{
    private static readonly (int Month, int Day)[] FixedHolidays =
    [
        (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4),
    ];

    private static readonly Lazy<IReadOnlyDictionary<int, PublishedYear>> Published = new(Load);

    /// <summary>Gets the first year the calendar covers.</summary>
    public const int FirstYear = 2000;

    /// <summary>Gets the last year the calendar covers.</summary>
    public const int LastYear = 2099;

    /// <summary>Gets the years whose decree on moving days off is in the calendar's data, in order.</summary>
    public static IReadOnlyList<int> PublishedYears => [.. Published.Value.Keys.Order()];

    /// <summary>Returns the fixed public holidays of a year.</summary>
    /// <param name="year">The year.</param>
    /// <returns>The days, in order.</returns>
    public static IEnumerable<DateOnly> Holidays(int year) => FixedHolidays.Select(h => new DateOnly(year, h.Month, h.Day));

    /// <summary>Returns the decree a year's moved days come from, or null when the year falls back to article 112.</summary>
    /// <param name="year">The year.</param>
    public static string? Decree(int year) => Published.Value.TryGetValue(year, out var published) ? published.Decree : null;

    /// <summary>Returns every day off of a year that is not a Saturday or Sunday worked: the fixed holidays and the moved days.</summary>
    /// <param name="year">The year.</param>
    /// <returns>The days off (some fall on weekends) and the Saturdays worked.</returns>
    public static (IReadOnlyList<DateOnly> DaysOff, IReadOnlyList<DateOnly> WorkedSaturdays) Year(int year)
    {
        var holidays = Holidays(year).ToList();
        if (Published.Value.TryGetValue(year, out var published))
        {
            return ([.. holidays, .. published.DaysOff], published.WorkedSaturdays);
        }

        // Article 112, part 2: a day off that coincides with a holiday moves to the next working day after it; the
        // January ones are moved by the decree to days nobody can foresee, so they are not moved here.
        var off = new HashSet<DateOnly>(holidays);
        foreach (var holiday in holidays.Where(h => h.Month != 1 && h.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            var day = holiday.AddDays(1);
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || off.Contains(day))
            {
                day = day.AddDays(1);
            }

            off.Add(day);
        }

        return ([.. off.Order()], []);
    }

    /// <summary>Creates the calendar for <see cref="FirstYear"/>–<see cref="LastYear"/>.</summary>
    /// <param name="extraHolidays">Further days off (e.g. a moved day of a year whose decree is not in the data yet).</param>
    /// <param name="workingWeekends">Further Saturdays or Sundays that are worked.</param>
    /// <returns>The calendar.</returns>
    public static WorkingCalendar Create(IEnumerable<DateOnly>? extraHolidays = null, IEnumerable<DateOnly>? workingWeekends = null)
    {
        var years = Enumerable.Range(FirstYear, LastYear - FirstYear + 1).Select(Year).ToList();
        return new WorkingCalendar(
            years.SelectMany(y => y.DaysOff).Concat(extraHolidays ?? []),
            years.SelectMany(y => y.WorkedSaturdays).Concat(workingWeekends ?? []));
    }

    private sealed record PublishedYear(string Decree, IReadOnlyList<DateOnly> DaysOff, IReadOnlyList<DateOnly> WorkedSaturdays);

    private static Dictionary<int, PublishedYear> Load()
    {
        using var stream = typeof(RussianCalendar).Assembly.GetManifestResourceStream("CrmExtensions.Runtime.Reminders.RussianCalendar.json")
            ?? throw new InvalidOperationException("The Russian calendar's data is not embedded in the runtime assembly.");
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var result = new Dictionary<int, PublishedYear>();
        foreach (var year in document.RootElement.GetProperty("years").EnumerateObject())
        {
            result[int.Parse(year.Name, CultureInfo.InvariantCulture)] = new PublishedYear(
                year.Value.GetProperty("decree").GetString()!,
                Days(year.Value.GetProperty("daysOff")),
                Days(year.Value.GetProperty("workedSaturdays")));
        }

        return result;

        static List<DateOnly> Days(JsonElement days) =>
            [.. days.EnumerateArray().Select(d => DateOnly.ParseExact(d.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture))];
    }
}

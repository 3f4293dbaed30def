namespace CrmExtensions.Sdk.Shared;

/// <summary>Which yearly dates (birthdays, anniversaries) fall in a window of days; the host and the test kit agree on it.</summary>
/// <remarks>29 February is celebrated on 28 February in years without it.</remarks>
internal static class OccasionWindow
{
    /// <summary>The day in <c>[from, to]</c> on which a yearly date first recurs after <paramref name="since"/>, or null.</summary>
    public static DateOnly? Falls(DateOnly since, DateOnly from, DateOnly to)
    {
        for (var year = from.Year; year <= to.Year; year++)
        {
            var day = Math.Min(since.Day, DateTime.DaysInMonth(year, since.Month));
            var date = new DateOnly(year, since.Month, day);
            if (date >= from && date <= to && date > since)
            {
                return date;
            }
        }

        return null;
    }

    /// <summary>The month-day ranges (<c>MM-dd</c> text) a query selects for the window: <c>from1..to1</c> and <c>from2..to2</c>.</summary>
    public static object Parameters(DateOnly from, DateOnly to)
    {
        var first = MonthDay(from);
        var last = MonthDay(to);
        if (last == "02-28" && !DateTime.IsLeapYear(to.Year))
        {
            last = "02-29";
        }

        return to.Year == from.Year
            ? new { from1 = first, to1 = last, from2 = "99", to2 = "00" }
            : new { from1 = first, to1 = "12-31", from2 = "01-01", to2 = last };
    }

    private static string MonthDay(DateOnly day) => day.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

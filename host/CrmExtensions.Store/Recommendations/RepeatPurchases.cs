namespace CrmExtensions.Store.Recommendations;

/// <summary>A product a client buys regularly and has not bought this cycle.</summary>
/// <param name="Product">The product's key.</param>
/// <param name="Times">On how many days the client bought it.</param>
/// <param name="LastBought">The last day it did.</param>
/// <param name="PeriodDays">Its period: the median of the client's own intervals between those days.</param>
/// <param name="DueOn">When the next purchase was due: the last day plus the period plus the intervals' own spread.</param>
public sealed record RepeatPurchase(string Product, int Times, DateOnly LastBought, int PeriodDays, DateOnly DueOn);

/// <summary>Repeat-purchase reminders, learnt from each client's own purchase intervals; never mixed into cross-sell.</summary>
/// <remarks>
/// A product is bought regularly when the client bought it on at least three days and its intervals keep to their median:
/// their median absolute deviation is at most half the median. It is due when more than the period plus that deviation has
/// passed since the last purchase, so a client who buys monthly give or take a week is reminded after five weeks.
/// </remarks>
public static class RepeatPurchases
{
    /// <summary>The fewest purchase days that make a period (two intervals).</summary>
    public const int MinTimes = 3;

    /// <summary>The client's regular products that are due on <paramref name="today"/>, the most overdue (in periods) first.</summary>
    /// <param name="purchases">The client's purchases: product and day; purchases after <paramref name="today"/> are ignored.</param>
    /// <param name="today">The day to judge on.</param>
    public static IReadOnlyList<RepeatPurchase> Due(IEnumerable<(string Product, DateOnly Day)> purchases, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        var due = new List<RepeatPurchase>();
        foreach (var product in purchases.Where(p => p.Day <= today).GroupBy(p => p.Product, StringComparer.Ordinal))
        {
            var days = product.Select(p => p.Day.DayNumber).Distinct().Order().ToArray();
            if (days.Length < MinTimes)
            {
                continue;
            }

            var intervals = days.Zip(days.Skip(1), (a, b) => b - a).ToArray();
            var period = Median(intervals);
            var spread = Median(intervals.Select(i => Math.Abs(i - period)).ToArray());
            if (period <= 0 || spread * 2 > period)
            {
                continue;
            }

            var last = DateOnly.FromDayNumber(days[^1]);
            var dueOn = last.AddDays(period + spread);
            if (today > dueOn)
            {
                due.Add(new RepeatPurchase(product.Key, days.Length, last, period, dueOn));
            }
        }

        return due.OrderByDescending(r => (today.DayNumber - r.LastBought.DayNumber) / (double)r.PeriodDays)
            .ThenBy(r => r.Product, StringComparer.Ordinal).ToList();
    }

    private static int Median(int[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid] + 1) / 2;
    }
}

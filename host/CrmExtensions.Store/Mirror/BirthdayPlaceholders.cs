using System.Data;
using Dapper;

namespace CrmExtensions.Store.Mirror;

/// <summary>Birth dates a ledger writes for birthdays nobody knew ("01.01.1970" on every card without one): a full date
/// carried by more mirrored people (contacts and counterparties together) than chance explains, learnt from the
/// ledger's own dates. No greeting and no "my day" birthday falls on them.</summary>
/// <remarks>A date is compared with the same day and month of the years around it (<see cref="Years"/> each side), whose
/// counts follow the same age distribution: its expected count is the median of those the ledger has, and at least
/// one. A date whose count a Poisson count of that mean reaches with a probability under <see cref="Chance"/> is a
/// placeholder. So in a small base twelve people sharing one birth date are a placeholder and two or three are not; at a
/// million people, where each date of a year is carried by dozens, the placeholder's thousands stand out and the years
/// most clients were born in do not. <see cref="PersonAge"/> handles the other kind, a date no living person was born
/// on ("01.01.1900").</remarks>
public static class BirthdayPlaceholders
{
    /// <summary>The chance below which a date's count is not chance: small enough that among the 36,500 dates of a
    /// century none is taken for a placeholder by chance (at most one in 27,000 bases).</summary>
    public const double Chance = 1e-9;

    /// <summary>Years each side of a date whose same day and month give its expected count.</summary>
    public const int Years = 5;

    /// <summary>The statement counting mirrored people per birth date whose month and day (<c>birthday_md</c>) meet
    /// <paramref name="window"/>, a condition with <c>{0}</c> for the column.</summary>
    public static string CountsSql(string window) =>
        "SELECT b.birthday AS Birthday, COUNT(*) AS Carriers FROM (" +
        "SELECT ct.birthday FROM mirror_contacts ct WHERE ct.vanished_at IS NULL AND ct.birthday IS NOT NULL AND " +
        window.Replace("{0}", "ct.birthday_md", StringComparison.Ordinal) +
        " UNION ALL SELECT mc.birthday FROM mirror_counterparties mc WHERE mc.vanished_at IS NULL AND mc.birthday IS NOT NULL AND " +
        window.Replace("{0}", "mc.birthday_md", StringComparison.Ordinal) +
        ") b GROUP BY b.birthday";

    /// <summary>The placeholder dates (<c>yyyy-MM-dd</c>) among the mirrored birthdays that <paramref name="countsSql"/>
    /// (<see cref="CountsSql"/> of the caller's window) counts.</summary>
    public static HashSet<string> Read(IDbConnection connection, string countsSql, object parameters) =>
        Find(connection.Query<(string Birthday, long Carriers)>(countsSql, parameters));

    /// <summary>The placeholder dates among these counts per birth date (those without a year are never one).</summary>
    public static HashSet<string> Find(IEnumerable<(string Birthday, long Carriers)> counts)
    {
        // Per day and month, the count of each year.
        var byDay = new Dictionary<string, Dictionary<int, long>>(StringComparer.Ordinal);
        foreach (var (birthday, carriers) in counts)
        {
            if (PersonAge.Year(birthday) is not { } year)
            {
                continue;
            }

            var md = birthday[5..];
            if (!byDay.TryGetValue(md, out var years))
            {
                byDay[md] = years = [];
            }

            years[year] = years.GetValueOrDefault(year) + carriers;
        }

        var placeholders = new HashSet<string>(StringComparer.Ordinal);
        var around = new long[2 * Years];
        foreach (var (md, years) in byDay)
        {
            foreach (var (year, carriers) in years)
            {
                if (carriers < 2)
                {
                    continue;
                }

                // The years around it that have this day and month at all: beyond the ledger's first or last year of
                // birth there are none, not a count of none.
                var k = 0;
                for (var y = year - Years; y <= year + Years; y++)
                {
                    if (y != year && years.TryGetValue(y, out var other))
                    {
                        around[k++] = other;
                    }
                }

                Array.Sort(around, 0, k);
                var median = k == 0 ? 0 : k % 2 == 1 ? around[k / 2] : (around[(k / 2) - 1] + around[k / 2]) / 2.0;
                if (TailAtLeast(Math.Max(1.0, median), carriers) < Chance)
                {
                    placeholders.Add($"{year:D4}-{md}");
                }
            }
        }

        return placeholders;
    }

    /// <summary>P(X ≥ k) for a Poisson count X of mean <paramref name="mean"/>, summed from k up (no cancellation).</summary>
    internal static double TailAtLeast(double mean, long k)
    {
        if (k <= 0)
        {
            return 1;
        }

        // log P(X = k) = k·log(mean) − mean − log(k!)
        var logTerm = (k * Math.Log(mean)) - mean - LogFactorial(k);
        var term = Math.Exp(logTerm);
        var sum = 0.0;
        for (var i = k; term > 0 && i < k + 10_000; i++)
        {
            sum += term;
            term *= mean / (i + 1);
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    private static double LogFactorial(long n)
    {
        var sum = 0.0;
        for (var i = 2L; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}

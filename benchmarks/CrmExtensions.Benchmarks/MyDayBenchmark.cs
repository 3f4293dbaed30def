using System.Globalization;
using CrmExtensions.Reports.Workday;
using CrmExtensions.Store;
using Dapper;

/// <summary>"My day"'s birthdays on a large store, looked up by month and day (<c>birthday_md</c>, migration 28), beside
/// the statements as they were before it (<c>birthday LIKE '%-MM-dd'</c>, a scan of every contact and counterparty).</summary>
internal static class MyDayBenchmark
{
    private const int Samples = 20;

    public static int Run(int counterparties, int runs, string work, string crmx)
    {
        var store = ReportBenchmark.Prepare(counterparties, work, crmx);
        var reader = new MyDayReader(store);
        string manager;
        using (var connection = store.Open())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store: {connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties"):N0} counterparties ({connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties WHERE birthday IS NOT NULL"):N0} with a birthday), " +
                $"{connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_contacts"):N0} contacts ({connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_contacts WHERE birthday IS NOT NULL"):N0} with a birthday)"));
            manager = connection.ExecuteScalar<string>("SELECT manager FROM mirror_counterparties WHERE manager IS NOT NULL GROUP BY manager ORDER BY COUNT(*) DESC LIMIT 1") ?? "";
            foreach (var (name, sql) in BeforeSql.Select(s => ("before", s)).Concat([("now", MyDayReader.ContactBirthdaysSql), ("now", MyDayReader.PersonBirthdaysSql)]))
            {
                var plan = connection.Query<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, new { day = "%-12-04", md = "12-04", manager = (string?)null });
                Console.WriteLine($"plan ({name}): " + string.Join(" | ", plan.Select(p => p.Detail)));
            }
        }

        var kinds = new (string Name, Func<DateOnly, int> Request)[]
        {
            ("before: birthday LIKE, every client", day => Before(store, day, null)),
            ("birthday_md index, every client", day => reader.Birthdays(day, null).Count),
            ("before: birthday LIKE, one manager", day => Before(store, day, manager)),
            ("birthday_md index, one manager", day => reader.Birthdays(day, manager).Count),
        };

        // The same people either way, on every sampled day.
        foreach (var day in Days(0))
        {
            if (Before(store, day, null) != reader.Birthdays(day, null).Count || Before(store, day, manager) != reader.Birthdays(day, manager).Count)
            {
                throw new InvalidOperationException($"my day lists other people on {day:O} than the LIKE statements did");
            }
        }

        var wall = kinds.ToDictionary(k => k.Name, _ => new List<double>());
        var cpu = kinds.ToDictionary(k => k.Name, _ => new List<double>());
        var listed = kinds.ToDictionary(k => k.Name, _ => 0L);
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (name, request) in kinds)
            {
                var times = Days(run).Select(day => ReportBenchmark.Time(() => listed[name] += request(day))).ToList();
                wall[name].Add(Bench.Median(times.Select(t => t.Seconds * 1000)));
                cpu[name].Add(Bench.Median(times.Select(t => t.CpuSeconds * 1000)));
            }

            Console.WriteLine($"run {run}: " + string.Join("; ", kinds.Select(k => $"{k.Name} p50 {wall[k.Name][^1]:0.0} ms")));
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs ({Samples} days each; manager '{manager}'), {counterparties:N0} counterparties, {Environment.ProcessorCount} cores, load average {ReportBenchmark.LoadAverage()}:");
        foreach (var (name, _) in kinds)
        {
            Console.WriteLine($"  {name,-38} p50 {Bench.Median(wall[name]),7:0.00} ms wall  {Bench.Median(cpu[name]),7:0.00} ms cpu   ({listed[name] / (double)(runs * Samples):0.0} people a day)");
        }

        return 0;
    }

    /// <summary>Days spread over a year, a different set each run.</summary>
    private static IEnumerable<DateOnly> Days(int run) =>
        Enumerable.Range(0, Samples).Select(i => new DateOnly(2026, 1, 1).AddDays(((i * 18) + (run * 7)) % 365));

    /// <summary>The two statements as they were before migration 28: a LIKE pattern over the birthday itself.</summary>
    private static readonly string[] BeforeSql =
    [
        MyDayReader.ContactBirthdaysSql.Replace("p.birthday_md IN (@md, @leapDay)", "p.birthday LIKE @day", StringComparison.Ordinal),
        MyDayReader.PersonBirthdaysSql.Replace("k.birthday_md IN (@md, @leapDay)", "k.birthday LIKE @day", StringComparison.Ordinal),
    ];

    /// <summary>How many people the statements as they were list on a day.</summary>
    private static int Before(CrmStore store, DateOnly day, string? manager)
    {
        // 28 February of a common year lists 29 February's too, as the reader does.
        var patterns = day is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(day.Year) ? new[] { "%-02-28", "%-02-29" } : ["%-" + day.ToString("MM-dd", CultureInfo.InvariantCulture)];
        using var connection = store.Open();
        return BeforeSql.SelectMany(sql => patterns.SelectMany(pattern => connection.Query<(long ClientId, string ClientName, string FullName)>(sql, new { day = pattern, manager })))
            .DistinctBy(b => (b.ClientId, b.FullName))
            .Count();
    }
}

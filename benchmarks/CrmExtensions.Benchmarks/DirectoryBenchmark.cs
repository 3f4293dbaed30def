using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using Dapper;

/// <summary>The web client list on a large store: page latency by kind of request, beside a bare keyset page of <c>clients</c>.</summary>
internal static class DirectoryBenchmark
{
    private const int PageSize = 50;
    private const int Samples = 20;

    public static int Run(int counterparties, int runs, string work, string crmx)
    {
        var store = ReportBenchmark.Prepare(counterparties, work, crmx);
        var directory = new ClientDirectory(store);
        using (var connection = store.Open())
        {
            // Forget the computed rows so the first page computes every one, as the first page after an upgrade does.
            connection.Execute("DELETE FROM client_directory_state");
        }

        var compute = ReportBenchmark.Time(() => directory.Page(new ClientListFilter(), null, PageSize));
        Console.WriteLine($"computing the directory from nothing (every row written): {compute.Seconds:0.00} s wall, {compute.CpuSeconds:0.00} s cpu");
        ComputeAgain(store, directory);

                // Search terms taken from the store: a name fragment, an INN and a phone of clients somewhere in the middle.
        var members = SearchTerms(store);
        long middle;
        using (var connection = store.Open())
        {
            var count = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM client_directory");
            middle = count / 2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"directory: {count:N0} clients; {members.Count} sampled members for search terms"));
        }

        var deep = directory.Page(new ClientListFilter(), null, PageSize);
        for (var i = 0; i < 20 && deep.Next is not null; i++)
        {
            deep = directory.Page(new ClientListFilter(), deep.Next, PageSize);
        }

        var kinds = new (string Name, Func<int, object> Request)[]
        {
            ("baseline: bare keyset page of clients", i => Bare(store, middle + (i * 997))),
            ("first page by revenue", _ => directory.Page(new ClientListFilter(), null, PageSize)),
            ("a page 20 pages in (cursor)", _ => directory.Page(new ClientListFilter(), deep.Next, PageSize)),
            ("first page by name", _ => directory.Page(new ClientListFilter(Order: ClientListOrder.Name), null, PageSize)),
            ("search: part of a name", i => directory.Page(new ClientListFilter(Search: NamePart(members[i % members.Count].Name)), null, PageSize)),
            ("search: an INN", i => directory.Page(new ClientListFilter(Search: members[i % members.Count].Inn), null, PageSize)),
            ("search: a phone", i => directory.Page(new ClientListFilter(Search: members[i % members.Count].Phone), null, PageSize)),
            ("filter: class A and overdue", _ => directory.Page(new ClientListFilter(AbcClass: "A", Overdue: true), null, PageSize)),
            ("filter: class C, not overdue, by name", _ => directory.Page(new ClientListFilter(AbcClass: "C", Overdue: false, Order: ClientListOrder.Name), null, PageSize)),
        };

        var p50 = kinds.ToDictionary(k => k.Name, _ => new List<double>());
        var p95 = kinds.ToDictionary(k => k.Name, _ => new List<double>());
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (name, request) in kinds)
            {
                var times = Enumerable.Range(0, Samples).Select(i => ReportBenchmark.Time(() => request(i + (run * Samples))).Seconds * 1000).Order().ToList();
                p50[name].Add(times[times.Count / 2]);
                p95[name].Add(times[(int)Math.Ceiling(times.Count * 0.95) - 1]);
            }

            Console.WriteLine($"run {run}: " + string.Join("; ", kinds.Select(k => $"{k.Name} p50 {p50[k.Name][^1]:0.0} ms")));
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs ({Samples} pages of {PageSize} each), {counterparties:N0} counterparties, {Environment.ProcessorCount} cores, load average {ReportBenchmark.LoadAverage()}:");
        foreach (var (name, _) in kinds)
        {
            Console.WriteLine($"  {name,-42} p50 {Bench.Median(p50[name]),7:0.0} ms   p95 {Bench.Median(p95[name]),7:0.0} ms");
        }

        return 0;
    }

    /// <summary>Times computing the directory again where it is stale: after a sync that changed nothing it shows, after one
    /// that changed a hundredth of the clients' invoices, and on the next day; each beside the same computation writing every
    /// row again. Meanwhile another connection takes the store's write lock every 100 ms, as a manager logging a call would,
    /// and the longest it waited is printed. The changed invoices are changed back after.</summary>
    private static void ComputeAgain(CrmStore store, ClientDirectory directory)
    {
        var today = DateOnly.FromDateTime(store.Time.GetLocalNow().DateTime);
        (double Seconds, double CpuSeconds, double WaitedMs) Again(long? mostDifferences, DateOnly day)
        {
            using var connection = store.Open();
            connection.Execute("UPDATE client_directory_state SET stamp = 'stale'");
            using var done = new CancellationTokenSource();
            var writer = Task.Run(() => LongestWriteWait(store, done.Token));
            var time = ReportBenchmark.Time(() => ClientDirectoryWriter.EnsureCurrent(store, connection, day, mostDifferences));
            done.Cancel();
            return (time.Seconds, time.CpuSeconds, writer.Result);
        }

        void Print(string what, (double Seconds, double CpuSeconds, double WaitedMs) changed, (double Seconds, double CpuSeconds, double WaitedMs) all) =>
            Console.WriteLine($"computing it again {what}: {changed.Seconds:0.00} s wall, {changed.CpuSeconds:0.00} s cpu, a writer waited at most {changed.WaitedMs:0} ms " +
                $"(every row written again: {all.Seconds:0.00} s wall, {all.CpuSeconds:0.00} s cpu, a writer waited at most {all.WaitedMs:0} ms)");

        Print("with nothing changed", Again(null, today), Again(-1, today));
        using (var connection = store.Open())
        {
            // A hundredth of the clients: one invoice in the window each, its amount raised by a rouble.
            connection.Execute(ChangeSql, new { delta = 100 }, commandTimeout: 0);
        }

        var changed = Again(null, today);
        using (var connection = store.Open())
        {
            connection.Execute(ChangeSql, new { delta = -100 }, commandTimeout: 0);
        }

        var back = Again(null, today);
        Print("after a hundredth of the clients' revenue changed", changed, Again(-1, today));
        Console.WriteLine($"  (and changed back: {back.Seconds:0.00} s wall, {back.CpuSeconds:0.00} s cpu, a writer waited at most {back.WaitedMs:0} ms)");
        Print("on the next day", Again(null, today.AddDays(1)), Again(-1, today.AddDays(1)));
        Again(null, today);
    }

    /// <summary>Takes the store's write lock and lets it go (an empty write transaction) every 100 ms until stopped; the longest wait for it, in ms.</summary>
    private static double LongestWriteWait(CrmStore store, CancellationToken stop)
    {
        using var connection = store.Open();
        var longest = 0.0;
        while (!stop.IsCancellationRequested)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using (var tx = connection.BeginTransaction())
            {
                tx.Commit();
            }

            longest = Math.Max(longest, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Thread.Sleep(100);
        }

        return longest;
    }

    private const string ChangeSql =
        "UPDATE mirror_invoices SET base_amount = base_amount + @delta WHERE rowid IN (SELECT MIN(i.rowid) FROM mirror_invoices i " +
        "WHERE i.client_id % 100 = 7 AND i.base_amount IS NOT NULL AND i.vanished_at IS NULL AND i.issued_on > '2025-12-31' GROUP BY i.client_id)";

    private static List<(long, string)> Bare(CrmStore store, long after)
    {
        using var connection = store.Open();
        return connection.Query<(long, string)>("SELECT client_id, display_name FROM clients WHERE retired_at IS NULL AND client_id > @after ORDER BY client_id LIMIT 50", new { after }).AsList();
    }

    /// <summary>Members of clients spread over the store, whose name, INN and phone are searched for.</summary>
    internal static List<(long ClientId, string Name, string? Inn, string? Phone)> SearchTerms(CrmStore store)
    {
        using var connection = store.Open();
        return connection.Query<(long, string, string?, string?)>(
            "SELECT m.client_id, c.name, c.tax_id, c.phone FROM client_members m JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id " +
            "WHERE c.tax_id IS NOT NULL AND c.phone IS NOT NULL AND m.client_id % 997 = 5 LIMIT 200").AsList();
    }

    /// <summary>A distinctive part of a name: its longest word, without quotes.</summary>
    internal static string NamePart(string name) =>
        name.Split([' ', '«', '»', '"', ','], StringSplitOptions.RemoveEmptyEntries).MaxBy(w => w.Length) ?? name;
}

using System.Globalization;
using System.Text.RegularExpressions;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Host.Tests.Segments;

/// <summary>
/// Segments as filters of <c>crmx clients list</c> and of the built-in reports (issue 17, item 4), on every store provider:
/// the list holds exactly the clients <c>crmx segment count</c> gives, alone and with another condition; the Pareto and
/// aging reports' totals are those of the segment's clients, computed here from the mirrored invoices; values that look
/// like SQL stay values.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class SegmentFilterCommandTests(DatabaseProvider provider)
{
    private const string Hostile = "x'; DROP TABLE clients; -- ' OR 1=1 --";

    private SyncedDemo _demo = null!;
    private DateOnly _today;
    private DateOnly _from;

    [OneTimeSetUp]
    public void StoreASegment()
    {
        _demo = SyncedDemo.Create(provider, counterparties: 300, seed: 7);
        _today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
        _from = _today.AddYears(-1).AddDays(1);
        // "upper": the clients whose revenue in the reporting window is at least the median client's there, read from the store.
        List<long> revenues;
        using (var connection = _demo.OpenStore())
        {
            revenues = connection.Query<long>("SELECT CAST(SUM(base_amount) AS BIGINT) FROM mirror_invoices WHERE client_id IS NOT NULL AND vanished_at IS NULL " +
                "AND issued_on >= @from AND issued_on <= @to GROUP BY client_id ORDER BY 1", new { from = Day(_from), to = Day(_today) }).ToList();
        }

        Assert.That(revenues, Has.Count.GreaterThan(10));
        var median = revenues[revenues.Count / 2] / 10_000m;
        _demo.Succeed("segment", "add", "upper", "revenue >= " + median.ToString("0.####", CultureInfo.InvariantCulture));
        _demo.Succeed("segment", "add", "upper-owing", "segment=upper and overdue=yes");
    }

    [OneTimeTearDown]
    public void Clean() => _demo?.Dispose();

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private List<long> Members(string name)
    {
        var lines = _demo.Succeed("segment", "count", name, "--list").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length < 2 ? [] : lines[1].Split(' ').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).Order().ToList();
    }

    /// <summary>The client ids <c>crmx clients list</c> prints, in its order.</summary>
    private static List<long> Listed(CrmxResult list) =>
        list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => long.Parse(l.Trim().Split(' ')[0], CultureInfo.InvariantCulture)).ToList();

    [Test]
    public void ClientsList_Segment_ListsExactlyTheSegmentsClients_AloneAndWithAnotherCondition()
    {
        var upper = Members("upper");
        var upperOwing = Members("upper-owing");

        var stored = _demo.Succeed("clients", "list", "--segment", "segment=upper", "--top", "100000");
        var both = _demo.Succeed("clients", "list", "--segment", "segment=upper", "--segment", "overdue=yes", "--top", "100000");
        var all = _demo.Succeed("clients", "list", "--top", "100000");

        Assert.That(upper, Has.Count.GreaterThan(5));
        Assert.That(Listed(stored).Order(), Is.EqualTo(upper));
        Assert.That(Listed(both).Order(), Is.EqualTo(upperOwing), "two conditions: the clients of both");
        Assert.That(upperOwing, Is.Not.Empty.And.Count.LessThan(upper.Count));
        Assert.That(Listed(all), Has.Count.GreaterThan(upper.Count));
        Assert.That(Listed(stored), Is.EqualTo(Listed(all).Where(upper.Contains).ToList()), "in the list's own order");
    }

    [Test]
    public void ClientsList_HostileSegment_IsAValue()
    {
        long clients;
        using (var connection = _demo.OpenStore())
        {
            clients = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM clients");
        }

        var stored = Crmx.Run(_demo.Folder, _demo.Environment, "clients", "list", "--segment", "segment=" + Hostile);
        var region = _demo.Succeed("clients", "list", "--segment", "region=" + Hostile);
        var kind = Crmx.Run(_demo.Folder, _demo.Environment, "clients", "list", "--segment", "size=big");

        Assert.That(stored.ExitCode, Is.EqualTo(1));
        Assert.That(stored.Error.Trim(), Does.StartWith("error: No stored segment 'x'; DROP TABLE clients;").And.Not.Contain('\n'));
        Assert.That(Listed(region), Is.Empty);
        Assert.That(kind.ExitCode, Is.Not.Zero);
        Assert.That(kind.Error, Does.Contain("unknown kind 'size'"));
        using var after = _demo.OpenStore();
        Assert.That(after.ExecuteScalar<long>("SELECT COUNT(*) FROM clients"), Is.EqualTo(clients));
    }

    /// <summary>The totals row of a report's first table, written with <c>--culture invariant --currency ''</c>: its cells.</summary>
    private static string[] Totals(CrmxResult report, string what)
    {
        var line = report.Out.Split('\n').First(l => Regex.IsMatch(l, @"^\s*[\d,]+\s+" + what + @"\s"));
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static decimal Amount(string cell) => decimal.Parse(cell, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>Stored ten-thousandths as the report writes them, to the kopeck.</summary>
    private static decimal Kopecks(long stored) => Math.Round(stored / 10_000m, 2, MidpointRounding.AwayFromZero);

    private string[] Report(string name, params string[] more) =>
        ["report", name, "--from", Day(_from), "--to", Day(_today), "--top", "3", "--culture", "invariant", "--currency", "", .. more];

    [Test]
    public void ParetoReport_Segment_TotalsAreTheSegmentsClients_AndTheDescriptionNamesIt()
    {
        var upper = Members("upper");
        List<(long Client, long Amount)> invoices;
        using (var connection = _demo.OpenStore())
        {
            invoices = connection.Query<(long, long)>("SELECT client_id, base_amount FROM mirror_invoices WHERE client_id IS NOT NULL AND vanished_at IS NULL AND base_amount IS NOT NULL " +
                "AND issued_on >= @from AND issued_on <= @to", new { from = Day(_from), to = Day(_today) }).ToList();
        }

        var narrowed = _demo.Succeed(Report("pareto", "--segment", "segment=upper"));
        var everyone = _demo.Succeed(Report("pareto"));

        var mine = invoices.Where(i => upper.Contains(i.Client)).ToList();
        var clients = Totals(narrowed, "clients");
        var counterparties = Totals(narrowed, "counterparties");
        Assert.That(Amount(clients[2]), Is.EqualTo(Kopecks(mine.Sum(i => i.Amount))), "the segment's clients' revenue");
        Assert.That(long.Parse(clients[0], NumberStyles.Number, CultureInfo.InvariantCulture), Is.EqualTo(mine.Select(i => i.Client).Distinct().Count()));
        Assert.That(Amount(counterparties[2]), Is.EqualTo(Kopecks(mine.Sum(i => i.Amount))), "their counterparties' ranking too");
        Assert.That(Amount(Totals(everyone, "clients")[2]), Is.GreaterThan(Amount(clients[2])), "every client's revenue is more");
        Assert.That(narrowed.Out.Split('\n')[1].TrimEnd(), Does.EndWith("; clients in segment=upper"));
        Assert.That(everyone.Out.Split('\n')[1], Does.Not.Contain("segment"));
    }

    [Test]
    public void ParetoReport_SegmentOnAnotherRange_KeepsTheReportsOwnRange()
    {
        // The segment reckons revenue over the twelve months to today; the report ranks the year before. Each keeps its own
        // @from and @to (the segment's are renamed where it is embedded).
        var upper = Members("upper");
        var (from, to) = (_from.AddYears(-1), _from.AddDays(-1));
        long expected;
        using (var connection = _demo.OpenStore())
        {
            expected = connection.Query<(long Client, long Amount)>("SELECT client_id, base_amount FROM mirror_invoices WHERE client_id IS NOT NULL AND vanished_at IS NULL AND base_amount IS NOT NULL " +
                "AND issued_on >= @from AND issued_on <= @to", new { from = Day(from), to = Day(to) }).Where(i => upper.Contains(i.Client)).Sum(i => i.Amount);
        }

        var report = _demo.Succeed("report", "pareto", "--from", Day(from), "--to", Day(to), "--segment", "segment=upper", "--culture", "invariant", "--currency", "");

        Assert.That(expected, Is.GreaterThan(0), "the segment's clients bought the year before too");
        Assert.That(Amount(Totals(report, "clients")[2]), Is.EqualTo(Kopecks(expected)));
    }

    [Test]
    public void AgingReport_Segment_TotalsAreTheSegmentsOpenInvoices()
    {
        var upper = Members("upper");
        // Each invoice's own amounts decide whether it is open; what it owes is summed in roubles, as every total is.
        List<(long Client, long Amount, long? Paid, string? Settled, string Issued, long BaseAmount, long? BasePaid)> invoices;
        using (var connection = _demo.OpenStore())
        {
            invoices = connection.Query<(long, long, long?, string?, string, long, long?)>("SELECT client_id, amount, paid_amount, settled_on, issued_on, base_amount, base_paid_amount " +
                "FROM mirror_invoices WHERE client_id IS NOT NULL AND vanished_at IS NULL AND base_amount IS NOT NULL").ToList();
        }

        var narrowed = _demo.Succeed(Report("aging", "--segment", "segment=upper"));
        var everyone = _demo.Succeed(Report("aging"));

        // Open: not settled, paid less than the amount; issued by the as-of day.
        var open = invoices.Where(i => upper.Contains(i.Client) && i.Settled is null && i.Amount > (i.Paid ?? 0) && string.CompareOrdinal(i.Issued, Day(_today)) <= 0).ToList();
        var totals = Totals(narrowed, "clients");
        Assert.That(Amount(totals[7]), Is.EqualTo(Kopecks(open.Sum(i => i.BaseAmount - (i.BasePaid ?? 0)))));
        Assert.That(long.Parse(totals[8], NumberStyles.Number, CultureInfo.InvariantCulture), Is.EqualTo(open.Count));
        Assert.That(long.Parse(totals[0], NumberStyles.Number, CultureInfo.InvariantCulture), Is.EqualTo(open.Select(i => i.Client).Distinct().Count()));
        Assert.That(Amount(Totals(everyone, "clients")[7]), Is.GreaterThan(Amount(totals[7])));
    }

    [Test]
    public void ReportRun_PluginReport_SaysItIsNotFilteredBySegment()
    {
        using var folder = new TempDirectory();
        TestFiles.InstallTestPlugin("Reporting", Path.Combine(folder.Path, "plugins"));
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), """{ "ledgers": [], "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" } }""");

        var plugin = Crmx.Run(folder.Path, "report", "run", "range-echo", "--to", "2025-06-30", "--segment", "overdue=yes");
        var builtIn = Crmx.Run(folder.Path, "report", "run", "aging", "--to", "2025-06-30", "--segment", "overdue=yes");

        Assert.That(plugin.ExitCode, Is.Zero, plugin.Error);
        Assert.That(plugin.Out.Split('\n')[1].TrimEnd(), Does.EndWith("; not filtered by segment (overdue=yes): this report reads every client"));
        Assert.That(builtIn.ExitCode, Is.Zero, builtIn.Error);
        Assert.That(builtIn.Out.Split('\n')[1].TrimEnd(), Does.EndWith("; clients in overdue=yes"));
    }
}

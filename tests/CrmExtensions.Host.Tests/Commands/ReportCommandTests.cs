using System.Globalization;
using CrmExtensions.Reports.Builtin;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary>
/// The reports against the sample ledgers' ground truth, on every store provider: the ledgers are read directly (their
/// own tables and truth.csv, not the store), and every total the reports give must equal what the ledgers hold.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ReportCommandTests(DatabaseProvider provider)
{
    private TempDirectory _folder = null!;
    private TestDatabase _store = null!;
    private string _demo = null!;
    private Dictionary<string, string> _environment = null!;
    private static readonly DateOnly To = DateOnly.FromDateTime(DateTime.Today);
    private static readonly DateOnly From = To.AddYears(-1).AddDays(1);
    private static readonly ReportRequest Request = new() { From = From, To = To, AsOf = To };

    [OneTimeSetUp]
    public void BuildTheSampleAndItsStore()
    {
        _folder = new TempDirectory();
        _store = TestDatabase.Create(provider);
        var demo = Crmx.Run(_folder.Path, "demo", "--counterparties", "3000", "--seed", "11");
        Assert.That(demo.ExitCode, Is.Zero, demo.Error);
        _demo = Path.Combine(_folder.Path, "crmx-demo");
        _environment = new Dictionary<string, string>
        {
            ["CRMX__store__provider"] = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
            ["CRMX__store__connectionString"] = _store.ConnectionString,
        };
        Assert.That(Crmx.Run(_demo, _environment, "sync").ExitCode, Is.Zero);
        Assert.That(Crmx.Run(_demo, _environment, "unify").ExitCode, Is.Zero);
    }

    [OneTimeTearDown]
    public void Clean()
    {
        _store?.Dispose();
        _folder?.Dispose();
    }

    private CrmStore Store() => TestStores.Open(_store);

    /// <summary>One posted invoice as the ledger file holds it: kopecks, dd.MM.yyyy dates, codes padded with spaces; its amounts
    /// in its own currency, and in roubles at the ledger's rate of its day (the rate register's last row on or before it).</summary>
    private sealed record LedgerInvoice(string Ledger, string Id, string Counterparty, DateOnly IssuedOn, DateOnly? DueOn, long OwnAmount, long OwnPaid, long PaidByPayments,
        long Amount, long Paid);

    private List<LedgerInvoice> LedgerInvoices()
    {
        var all = new List<LedgerInvoice>();
        foreach (var ledger in Host.Commands.DemoCommand.DemoLedgers)
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(_demo, ledger + ".db")};Mode=ReadOnly");
            var payments = connection.Query<(string Invoice, double Amount)>(
                "SELECT TRIM([ДокументРасчетов]), [Сумма] FROM [Документ Поступление Оплаты] WHERE [ДокументРасчетов] IS NOT NULL")
                .GroupBy(p => p.Invoice).ToDictionary(g => g.Key, g => g.Sum(p => Money.ToStored((decimal)p.Amount)));
            var rates = connection.Query<(string Period, string Currency, double Rate, long Units)>(
                "SELECT [Период], [Валюта], [Курс], [Кратность] FROM [РегистрСведений КурсыВалют]")
                .Select(r => (Day: Day(r.Period)!.Value, r.Currency, PerUnit: (decimal)r.Rate / r.Units)).ToList();
            long InRoubles(long stored, string currency, DateOnly day) => currency == "643"
                ? stored
                : Money.ToStored(Money.FromStored(stored) * rates.Where(r => r.Currency == currency && r.Day <= day).MaxBy(r => r.Day).PerUnit);
            foreach (var (id, counterparty, issued, due, amount, paid, currency) in connection.Query<(string, string, string, string?, long, long?, string)>(
                "SELECT TRIM([Ссылка]), TRIM([Контрагент]), [Дата], [СрокОплаты], [СуммаДокумента], [СуммаОплачено], [ВалютаКод] FROM [Документ Реализация] WHERE [Проведен] = 1"))
            {
                var day = Day(issued)!.Value;
                all.Add(new LedgerInvoice(ledger, id, counterparty, day, Day(due), amount * 100, (paid ?? 0) * 100, payments.GetValueOrDefault(id),
                    InRoubles(amount * 100, currency, day), InRoubles((paid ?? 0) * 100, currency, day)));
            }
        }

        Assert.That(all.Select(i => i.Amount != i.OwnAmount), Has.Some.True, "the sample has invoices in other currencies than the rouble");
        return all;
    }

    private static DateOnly? Day(string? text) =>
        text is null ? null : DateOnly.ParseExact(text, "dd.MM.yyyy", CultureInfo.InvariantCulture);

    private Dictionary<(string Ledger, string Id), string> TruthClients() =>
        File.ReadLines(Path.Combine(_demo, "truth.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => (f[0], f[1]), f => f[3]);

    [Test]
    public void Pareto_SampleLedgers_MatchesTheGroundTruthsClientsAndTheLedgersTotal()
    {
        var truth = TruthClients();
        var inRange = LedgerInvoices().Where(i => i.IssuedOn >= From && i.IssuedOn <= To).ToList();
        // The ranking computed from the ground truth alone: each truth client's revenue, ranked, classed A/B/C.
        var expected = Classes(inRange.GroupBy(i => truth[(i.Ledger, i.Counterparty)]).Select(g => (g.Key, g.Sum(i => i.Amount))));
        var report = new ParetoReport(Store());

        var clients = report.Clients(Request, 1_000_000);
        var entities = report.Entities(Request, 1_000_000);

        var members = Members();
        var actual = clients.Top.ToDictionary(r => r.Key!, r => (r.Amount, r.Class));
        var byTruth = actual.ToDictionary(a => members[a.Key], a => a.Value);
        Assert.That(clients.Total, Is.EqualTo(inRange.Sum(i => i.Amount)), "unified total equals the ledgers' sum");
        Assert.That(entities.Total, Is.EqualTo(clients.Total), "raw ranking total equals the unified one");
        Assert.That(clients.Top, Has.None.Property(nameof(ParetoRow.Key)).Null, "every invoice belongs to a client");
        Assert.That(byTruth.Count, Is.EqualTo(actual.Count), "no two clients of the report are one client of the truth");
        Assert.That(byTruth.Keys, Is.EquivalentTo(expected.Keys), "the report's clients are the truth's clients");
        Assert.That(byTruth, Is.EquivalentTo(expected), "each client's revenue and class");
        Assert.That(entities.Count, Is.EqualTo(inRange.Select(i => (i.Ledger, i.Counterparty)).Distinct().Count()));
        Assert.That(entities.Count, Is.GreaterThan(clients.Count), "unification makes fewer, larger clients");
    }

    [TestCase("A")]
    [TestCase("B")]
    public void Pareto_AndTheAbcSegment_SelectTheSameClientsOverTheSameWindow(string cls)
    {
        // Issue 16, item 5: the segment's window once started a day earlier than the report's and put one more client in A.
        var window = CrmExtensions.Store.Reporting.ReportingWindow.TwelveMonthsTo(To);
        var report = new ParetoReport(Store()).Clients(new ReportRequest { From = window.From, To = window.To, AsOf = To }, int.MaxValue);
        using var connection = Store().Open();

        var segment = CrmExtensions.Mail.Campaigns.Segment.SelectClients(connection, [CrmExtensions.Mail.Campaigns.Segment.Parse("abc=" + cls)], To);

        var inReport = report.Top.Where(r => r.Class == cls && r.Key is not null).Select(r => long.Parse(r.Key!, CultureInfo.InvariantCulture)).ToList();
        Assert.That(inReport, Is.Not.Empty);
        Assert.That(segment, Is.EquivalentTo(inReport));
        Assert.That(report.Classes.Single(c => c.Class == cls).Count, Is.EqualTo(segment.Count), "the report's class count");
    }

    /// <summary>Store client id → its truth label, from 'crmx clients export'.</summary>
    private Dictionary<string, string> Members()
    {
        var truth = TruthClients();
        var export = Crmx.Run(_demo, _environment, "clients", "export");
        return export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.Select(f => truth[(f[1], f[2])]).GroupBy(t => t).MaxBy(t => t.Count())!.Key);
    }

    /// <summary>A, B, C as the report defines them: A while the revenue ranked before is under 80 %, B under 95 %.</summary>
    private static Dictionary<string, (long, string)> Classes(IEnumerable<(string Key, long Amount)> revenue)
    {
        var ranked = revenue.OrderByDescending(r => r.Amount).ToList();
        var total = ranked.Sum(r => r.Amount);
        var before = 0L;
        var result = new Dictionary<string, (long, string)>();
        foreach (var (key, amount) in ranked)
        {
            result[key] = (amount, before * 5 < total * 4 ? "A" : before * 20 < total * 19 ? "B" : "C");
            before += amount;
        }

        return result;
    }

    [Test]
    public void Aging_SampleLedgers_BucketsEqualTheLedgersOpenInvoices()
    {
        var open = LedgerInvoices().Where(i => i.IssuedOn <= To && i.OwnPaid < i.OwnAmount && i.PaidByPayments < i.OwnAmount).ToList();
        long Bucket(int min, int max) => open.Where(i => (To.DayNumber - (i.DueOn ?? i.IssuedOn).DayNumber) is var d && d >= min && d <= max).Sum(i => i.Amount - i.Paid);

        var result = new AgingReport(Store()).Compute(Request, 10);

        var t = result.Totals;
        Assert.That(new[] { t.NotDue, t.Days30, t.Days60, t.Days90, t.Over90 },
            Is.EqualTo(new[] { Bucket(int.MinValue, 0), Bucket(1, 30), Bucket(31, 60), Bucket(61, 90), Bucket(91, int.MaxValue) }));
        Assert.That(t.Total, Is.EqualTo(open.Sum(i => i.Amount - i.Paid)));
        Assert.That(t.Invoices, Is.EqualTo(open.Count));
        Assert.That(result.Top, Has.Count.EqualTo(10));
        Assert.That(result.Top.Select(r => r.Total - r.NotDue), Is.Ordered.Descending, "the most overdue first");
    }

    [Test]
    public void DynamicsAndManagers_SampleLedgers_RevenueEqualsTheLedgersByMonthAndInTotal()
    {
        var inRange = LedgerInvoices().Where(i => i.IssuedOn >= From && i.IssuedOn <= To).ToList();
        var byMonth = inRange.GroupBy(i => i.IssuedOn.ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Sum(i => i.Amount));

        var months = new DynamicsReport(Store()).Compute(Request);
        var managers = new ManagersReport(Store()).Compute(Request);
        var aging = new AgingReport(Store()).Compute(Request, 1);

        Assert.That(months, Has.Count.EqualTo(13), "a range of a year minus a day touches 13 months");
        Assert.That(months.Where(m => m.Revenue != 0).ToDictionary(m => m.Month, m => m.Revenue), Is.EquivalentTo(byMonth));
        Assert.That(months.Sum(m => m.NewClients), Is.GreaterThan(0));
        Assert.That(months.TakeLast(DynamicsReport.LostAfterMonths).Sum(m => m.LostClients), Is.Zero, "nobody is lost before six months pass");
        Assert.That(managers.Sum(m => m.Revenue), Is.EqualTo(inRange.Sum(i => i.Amount)));
        Assert.That(managers.Sum(m => m.Overdue), Is.EqualTo(aging.Totals.Total - aging.Totals.NotDue), "overdue debt by manager adds up to the aged overdue debt");
        Assert.That(managers.Count(m => m.Manager is not null), Is.GreaterThan(1));
    }

    [Test]
    public void Dynamics_NewAndLostClients_AreTheMonthsOfEachClientsFirstInvoiceEverAndLastUpToTheEnd()
    {
        // Every client's first and last invoice up to the end of the range, from all of its mirrored invoices.
        using var connection = Store().Open();
        var clients = connection.Query<(long Client, string IssuedOn)>(
                "SELECT client_id, issued_on FROM mirror_invoices WHERE client_id IS NOT NULL AND vanished_at IS NULL AND issued_on <= @to",
                new { to = To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })
            .GroupBy(i => i.Client)
            .Select(g => (First: DateOnly.Parse(g.Min(i => i.IssuedOn)!, CultureInfo.InvariantCulture), Last: DateOnly.Parse(g.Max(i => i.IssuedOn)!, CultureInfo.InvariantCulture)))
            .ToList();
        var lostBy = To.AddMonths(-DynamicsReport.LostAfterMonths);
        static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var months = new DynamicsReport(Store()).Compute(Request);

        Assert.That(clients.Count(c => c.First < From && c.Last >= From), Is.GreaterThan(0), "clients with invoices before the range and in it, who are not new");
        Assert.That(months.Where(m => m.NewClients != 0).ToDictionary(m => m.Month, m => m.NewClients),
            Is.EquivalentTo(clients.Where(c => c.First >= From).GroupBy(c => Month(c.First)).ToDictionary(g => g.Key, g => (long)g.Count())));
        Assert.That(months.Where(m => m.LostClients != 0).ToDictionary(m => m.Month, m => m.LostClients),
            Is.EquivalentTo(clients.Where(c => c.Last >= From && c.Last <= lostBy).GroupBy(c => Month(c.Last)).ToDictionary(g => g.Key, g => (long)g.Count())));
    }

    [Test]
    public void Managers_EachManager_HasTheRevenueAndOverdueDebtOfTheInvoicesJoinedToTheirClientsManagerInSql()
    {
        // The figures as one statement joining every invoice to its client's manager (how the report once computed them),
        // beside the report's per-client sums added up per manager in the host.
        using var connection = Store().Open();
        var args = new { from = From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to = To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), asOf = To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        string Joined(string amount, string condition) =>
            "WITH cm AS (" + ClientMoneySql.Managers + ") SELECT cm.manager, CAST(SUM(" + amount + ") AS BIGINT), CAST(COUNT(DISTINCT i.client_id) AS BIGINT) " +
            "FROM mirror_invoices i LEFT JOIN cm ON cm.id = i.client_id WHERE " + condition + " AND " + ClientMoneySql.Converted + " GROUP BY cm.manager";
        var revenue = connection.Query<(string? Manager, long Amount, long Clients)>(Joined("i.base_amount", ClientMoneySql.InvoicesInWindow), args).ToList();
        var overdue = connection.Query<(string? Manager, long Amount, long Clients)>(Joined(ClientMoneySql.OpenAmount, ClientMoneySql.Overdue), args).ToList();

        var managers = new ManagersReport(Store()).Compute(Request);

        Assert.That(revenue, Has.Count.GreaterThan(1));
        Assert.That(managers.Where(m => m.Revenue != 0).Select(m => (m.Manager, m.Revenue, m.RevenueClients)), Is.EquivalentTo(revenue));
        Assert.That(managers.Where(m => m.Overdue != 0).Select(m => (m.Manager, m.Overdue, m.OverdueClients)), Is.EquivalentTo(overdue));
    }

    [Test]
    public void Managers_ClientDirectoryCurrent_ReadsTheManagersFromItAndOnlyThen()
    {
        var store = Store();
        using var connection = store.Open();
        connection.Execute("DELETE FROM client_directory_state");
        var computed = new ManagersReport(store).Compute(Request);

        new ClientDirectory(store).Refresh();
        var read = new ManagersReport(store).Compute(Request);

        // Whose rows the report reads: a manager named only in the directory's rows shows while they are current, and not
        // once their stamp names another unification run than the last (as after a unification, or a sync that changed rows).
        var top = connection.ExecuteScalar<long>(store.Dialect.Top("SELECT client_id FROM client_directory WHERE manager IS NOT NULL ORDER BY list_rank, client_id", 1));
        connection.Execute("UPDATE client_directory SET manager = 'only in the directory' WHERE client_id = @top", new { top });
        var fromTheDirectory = new ManagersReport(store).Compute(Request);
        connection.Execute("UPDATE client_directory_state SET stamp = @stale", new { stale = connection.ExecuteScalar<string>("SELECT stamp FROM client_directory_state") + "0" });
        var afterAChange = new ManagersReport(store).Compute(Request);
        connection.Execute("DELETE FROM client_directory_state");

        Assert.That(computed.Count(m => m.Manager is not null), Is.GreaterThan(1));
        Assert.That(read, Is.EqualTo(computed), "the directory's managers are the statement's");
        Assert.That(fromTheDirectory.Select(m => m.Manager), Does.Contain("only in the directory"));
        Assert.That(afterAChange, Is.EqualTo(computed));
    }

    [Test]
    public void Pareto_NarrowedToTheAbcSegment_RanksExactlyItsClientsWithTheirRevenue()
    {
        var window = CrmExtensions.Store.Reporting.ReportingWindow.TwelveMonthsTo(To);
        var request = new ReportRequest { From = window.From, To = window.To, AsOf = To };
        var all = new ParetoReport(Store()).Clients(request, int.MaxValue);
        using var connection = Store().Open();
        var classA = CrmExtensions.Mail.Campaigns.Segment.Set(connection, [CrmExtensions.Mail.Campaigns.Segment.Parse("abc=A")], To, TimeZoneInfo.Utc, Store());

        var narrowed = new ParetoReport(Store()) { Segment = classA }.Clients(request, int.MaxValue);

        var expected = all.Top.Where(r => r.Class == "A").Select(r => (r.Key, r.Amount)).ToList();
        Assert.That(expected, Is.Not.Empty);
        Assert.That(narrowed.Top.Select(r => (r.Key, r.Amount)), Is.EquivalentTo(expected));
        Assert.That(narrowed.Total, Is.EqualTo(expected.Sum(e => e.Amount)));
    }

    [Test]
    public void Pareto_Clients_AreRankedAndClassedAsTheSqlRankingOfTheDirectoryAndTheAbcSegment()
    {
        // The report ranks in the host as the rows stream past; the directory, the abc= segment and the facts rank with
        // ClientMoneySql.Ranking in SQL. Both are one definition: every place, amount, running revenue and class the same,
        // and invoices of counterparties in no client one row of their own, ranked where the SQL ranks a NULL client.
        var store = Store();
        using var connection = store.Open();
        var report = new ParetoReport(store);
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_invoices WHERE client_id IS NULL"), Is.Zero, "unified: every invoice is in a client");
        var unified = report.Clients(Request, 1_000_000);
        var sqlUnified = SqlRanking(connection);

        // A client in the middle of the ranking whose counterparties are in none, as after a sync of new counterparties
        // before unification: its invoices are ranked as the row of no client.
        var middle = unified.Top[unified.Top.Count / 10];
        connection.Execute("UPDATE mirror_invoices SET client_id = NULL WHERE client_id = @id", new { id = long.Parse(middle.Key!, CultureInfo.InvariantCulture) });
        ParetoRanking withNone, first;
        List<(string?, long, long, string)> sqlWithNone;
        try
        {
            withNone = report.Clients(Request, 1_000_000);
            first = report.Clients(Request, 7);
            sqlWithNone = SqlRanking(connection);
        }
        finally
        {
            connection.Execute("UPDATE mirror_invoices SET client_id = @id WHERE client_id IS NULL", new { id = long.Parse(middle.Key!, CultureInfo.InvariantCulture) });
        }

        Assert.That(unified.Classes.Select(c => c.Count), Has.All.GreaterThan(0), "every class has clients");
        Assert.That(unified.Top.Select(Row), Is.EqualTo(sqlUnified));
        Assert.That(withNone.Top.Select(Row), Is.EqualTo(sqlWithNone));
        Assert.That(withNone.Top.Where(r => r.Key is null).Select(r => r.Amount), Is.EqualTo(new[] { middle.Amount }));
        Assert.That(withNone.Classes.Select(c => (c.Class, c.Count, c.Amount)),
            Is.EqualTo(sqlWithNone.GroupBy(r => r.Item4).OrderBy(g => g.Key).Select(g => (g.Key, (long)g.Count(), g.Sum(r => r.Item2)))));
        Assert.That(withNone.Total, Is.EqualTo(unified.Total));
        Assert.That(first.Top, Is.EqualTo(withNone.Top.Take(7)), "the first rows alone are the whole ranking's first rows");
        Assert.That(first.Classes, Is.EqualTo(withNone.Classes));

        static (string?, long, long, string) Row(ParetoRow r) => (r.Key, r.Amount, r.Running, r.Class);
    }

    /// <summary>The clients' ranking of the report's window as <see cref="ClientMoneySql.Ranking"/> gives it.</summary>
    private static List<(string?, long, long, string)> SqlRanking(System.Data.Common.DbConnection connection) =>
        connection.Query<(long? Id, long Amount, long Running, string Class)>(
                ClientMoneySql.Ranking + "SELECT id, amount, running, " + ClientMoneySql.ParetoClass() + " FROM ranked ORDER BY amount DESC, COALESCE(id, 0)",
                new { from = From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to = To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })
            .Select(r => (r.Id?.ToString(CultureInfo.InvariantCulture), r.Amount, r.Running, r.Class)).ToList();

    [Test]
    public void Report_EveryFormat_WritesTheSameRows()
    {
        var range = new[] { "--from", From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--top", "5" };

        var table = Crmx.Run(_demo, _environment, ["report", "pareto", .. range]);
        var csv = Crmx.Run(_demo, _environment, ["report", "pareto", "--format", "csv", .. range]);
        var html = Crmx.Run(_demo, _environment, ["report", "aging", "--format", "html", "--out", "aging.html", .. range]);

        Assert.That(table.ExitCode, Is.Zero, table.Error);
        Assert.That(table.Out, Does.StartWith("Pareto: ABC classes of clients by revenue").And.Contain(" ₽").And.Contain("Class A: "));
        var lines = csv.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // Two rankings, one after the other: the unified clients', then the ledgers' own counterparties'.
        Assert.That(lines[0], Is.EqualTo("table,#,client,name,revenue,cumulative %,class"));
        Assert.That(lines, Has.Length.EqualTo(11));
        Assert.That(lines[1], Does.Match(@"^Unified clients,1,\d+,.*,\d+\.\d\d,\d+\.\d,A$"));
        Assert.That(lines[6], Does.Match(@"^Ledger counterparties as they are \(before unification\),1,[^,]+:[^,]+,.*,\d+\.\d\d,\d+\.\d,A$"));
        var page = File.ReadAllText(Path.Combine(_demo, "aging.html"));
        Assert.That(html.Out, Does.Contain("rows written to aging.html"));
        Assert.That(page, Does.StartWith("<!DOCTYPE html>").And.Contain("<svg").And.Contain("</table>").And.Not.Contain("<script"));
    }

    [Test]
    public void Report_RangeWithoutInvoices_PrintsZeroTotals()
    {
        var result = Crmx.Run(_demo, _environment, "report", "pareto", "--from", "1990-01-01", "--to", "1990-12-31");
        var bad = Crmx.Run(_demo, _environment, "report", "aging", "--from", "2020-01-02", "--to", "2020-01-01");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Contain("Class A: 0 clients"));
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.Error, Does.Contain("--from 2020-01-02 is after --to 2020-01-01"));
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using CrmExtensions.Testing;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>
/// A stored behaviour segment as a filter of the client list and of the reports (issue 17, item 4), on every store: the
/// list's pages hold exactly the clients <c>crmx segment count</c> gives, alone and with another filter; a name that is
/// no stored segment is a message on the page; the Pareto report's totals are the segment's clients' revenue.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SegmentFilterTests
{
    private const string Hostile = "x'; DROP TABLE clients; -- ' OR 1=1 --";

    /// <summary>More counterparties than two list pages hold, of two managers, with revenue spread over the year.</summary>
    private const int Extra = 130;

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.Now);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Adds <see cref="Extra"/> clients to the msk ledger, syncs and unifies; stores the segment "upper": the clients
    /// whose revenue is at least the median of the clients' revenue (read from the store, not chosen here).</summary>
    private static async Task<long> AddClientsAndStoreSegmentAsync(WebWorkspace web)
    {
        var sql = new StringBuilder("INSERT INTO cp VALUES ");
        var invoices = new StringBuilder("INSERT INTO inv VALUES ");
        for (var i = 0; i < Extra; i++)
        {
            var id = 100 + i;
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}('{id}', 'ООО «Клиент {i:000}»', NULL, NULL, 'Москва', '{(i % 2 == 0 ? "Петров Пётр" : "Сидоров Сидор")}')");
            invoices.Append(CultureInfo.InvariantCulture,
                $"{(i == 0 ? "" : ", ")}('X{id}', '{id}', 'Х-{id}', '{Day(Today.AddDays(-(i % 300) - 1))}', '{Day(Today.AddDays(30))}', {(i * 7919 % 997) + 1}, 0)");
        }

        web.Ledger("msk.db", sql + ";" + invoices + ";");
        await web.CrmxAsync("sync");
        await web.CrmxAsync("unify");
        var median = web.Scalar<long>("SELECT MIN(amount) FROM (SELECT amount, ROW_NUMBER() OVER (ORDER BY amount) AS n, COUNT(*) OVER () AS total " +
            "FROM (SELECT client_id, SUM(amount) AS amount FROM mirror_invoices WHERE client_id IS NOT NULL AND vanished_at IS NULL GROUP BY client_id) r) q WHERE n * 2 >= total");
        var rubles = (median / 10_000m).ToString("0.##", CultureInfo.InvariantCulture);
        await web.CrmxAsync("segment", "add", "upper", "revenue >= " + rubles);
        return median;
    }

    private static async Task<List<long>> CountAsync(WebWorkspace web, string name)
    {
        var lines = (await web.CrmxAsync("segment", "count", name, "--list")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length < 2 ? [] : lines[1].Split(' ').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).Order().ToList();
    }

    /// <summary>Every page of a list, following its "next" links: the client ids in order, and how many pages.</summary>
    private static async Task<(List<long> Ids, int Pages)> WalkAsync(HttpClient http, string first)
    {
        var parser = new HtmlParser();
        var ids = new List<long>();
        var pages = 0;
        for (string? next = first; next is not null; pages++)
        {
            using var response = await http.GetAsync(next);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), next);
            var page = parser.ParseDocument(await response.Content.ReadAsStringAsync());
            ids.AddRange(page.QuerySelectorAll("table.clients tbody tr td:first-child a").Select(a =>
                long.Parse(a.GetAttribute("href")!["/clients/".Length..], CultureInfo.InvariantCulture)));
            next = page.QuerySelector("a[rel=next]")?.GetAttribute("href");
        }

        return (ids, pages);
    }

    [TestCaseSource(typeof(TestDatabases), nameof(TestDatabases.All))]
    public async Task ClientList_StoredSegment_ListsExactlyItsClientsAcrossPages_AloneAndWithAManager(DatabaseProvider provider)
    {
        using var database = provider == DatabaseProvider.Postgres ? TestDatabase.Create(provider) : null;
        await using var web = await WebWorkspace.StartAsync(database?.ConnectionString);
        await AddClientsAndStoreSegmentAsync(web);
        using var http = await web.SignedInClientAsync(WebWorkspace.Director);
        var upper = await CountAsync(web, "upper");
        const string sidorov = "&manager=%D0%A1%D0%B8%D0%B4%D0%BE%D1%80%D0%BE%D0%B2%20%D0%A1%D0%B8%D0%B4%D0%BE%D1%80";
        Assert.That(upper, Has.Count.GreaterThan(IndexSize), "the segment spans more than one page");

        var byRevenue = await WalkAsync(http, "/clients?who=all&segment=upper");
        var byName = await WalkAsync(http, "/clients?who=all&segment=upper&sort=name");
        var managerOnly = await WalkAsync(http, "/clients?who=all" + sidorov);
        var withManager = await WalkAsync(http, "/clients?who=all&segment=upper" + sidorov);
        var everyone = await WalkAsync(http, "/clients?who=all");

        Assert.That(byRevenue.Pages, Is.GreaterThan(1));
        Assert.That(byRevenue.Ids, Is.Unique);
        Assert.That(byRevenue.Ids.Order(), Is.EqualTo(upper), "the list's pages hold exactly the segment's clients");
        Assert.That(byRevenue.Ids, Is.EqualTo(everyone.Ids.Where(upper.Contains).ToList()), "in the list's own order");
        Assert.That(byName.Ids, Is.Unique);
        Assert.That(byName.Ids.Order(), Is.EqualTo(upper), "ordered by name, the same clients");
        var expected = managerOnly.Ids.Where(upper.Contains).Order().ToList();
        Assert.That(withManager.Ids.Order(), Is.EqualTo(expected), "with a manager: the clients of both");
        Assert.That(expected, Is.Not.Empty.And.Count.LessThan(upper.Count));
    }

    /// <summary>The list's page size, as the page model defines it.</summary>
    private static int IndexSize => CrmExtensions.Web.Pages.Clients.IndexModel.PageSize;

    [Test]
    public async Task ClientList_SegmentSelect_OffersStoredSegments_AndAnUnknownNameIsAMessage()
    {
        await using var web = await WebWorkspace.StartAsync();
        using var http = await web.SignedInClientAsync(WebWorkspace.Director);
        var parser = new HtmlParser();
        var clients = web.Scalar<long>("SELECT COUNT(*) FROM clients");

        var before = parser.ParseDocument(await http.GetStringAsync("/clients?who=all"));
        await web.CrmxAsync("segment", "add", "owing", "overdue=yes");
        var after = parser.ParseDocument(await http.GetStringAsync("/clients?who=all"));
        using var hostile = await http.GetAsync("/clients?who=all&segment=" + Uri.EscapeDataString(Hostile));
        var hostilePage = parser.ParseDocument(await hostile.Content.ReadAsStringAsync());
        using var script = await http.GetAsync("/clients?who=all&segment=" + Uri.EscapeDataString("<script>alert(2)</script>"));
        var owing = parser.ParseDocument(await http.GetStringAsync("/clients?who=all&segment=owing"));

        Assert.That(before.QuerySelector("select[name=segment]"), Is.Null, "no stored segment, no select");
        Assert.That(after.QuerySelectorAll("select[name=segment] option").Select(o => o.GetAttribute("value")), Is.EqualTo(new[] { "", "owing" }));
        Assert.That(hostile.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(hostilePage.QuerySelector("[role=alert]")?.TextContent, Does.StartWith("No stored segment 'x'; DROP TABLE clients;"));
        Assert.That(hostilePage.QuerySelector("form.filters"), Is.Not.Null, "the list page, with its filters");
        Assert.That(await script.Content.ReadAsStringAsync(), Does.Not.Contain("<script>alert(2)"), "the name is escaped");
        Assert.That(web.Scalar<long>("SELECT COUNT(*) FROM clients"), Is.EqualTo(clients), "a name is a value, not SQL");
        // Only the Saint Petersburg branch's invoice is overdue: one client, Ромашка.
        var romashka = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        Assert.That(owing.QuerySelectorAll("table.clients tbody tr td:first-child a").Select(a => a.GetAttribute("href")), Is.EqualTo(new[] { $"/clients/{romashka}" }));
        Assert.That(owing.QuerySelector("select[name=segment] option[selected]")?.GetAttribute("value"), Is.EqualTo("owing"));
    }

    [TestCaseSource(typeof(TestDatabases), nameof(TestDatabases.All))]
    public async Task ParetoReport_Segment_TotalsAreTheSegmentsRevenue_AndSayWhichSegment(DatabaseProvider provider)
    {
        using var database = provider == DatabaseProvider.Postgres ? TestDatabase.Create(provider) : null;
        await using var web = await WebWorkspace.StartAsync(database?.ConnectionString);
        await AddClientsAndStoreSegmentAsync(web);
        using var http = await web.SignedInClientAsync(WebWorkspace.Director);
        var upper = await CountAsync(web, "upper");
        var from = Today.AddYears(-1).AddDays(1);
        var query = $"?from={Day(from)}&to={Day(Today)}";
        var parser = new HtmlParser();

        var all = parser.ParseDocument(await http.GetStringAsync("/reports/pareto" + query));
        var narrowed = parser.ParseDocument(await http.GetStringAsync("/reports/pareto" + query + "&segment=upper"));

        // Independently: the mirrored invoices of the segment's clients issued in the range.
        var expected = web.Scalar<long>("SELECT COALESCE(SUM(amount), 0) FROM mirror_invoices WHERE vanished_at IS NULL AND issued_on >= '" + Day(from) +
            "' AND issued_on <= '" + Day(Today) + "' AND client_id IN (" + string.Join(", ", upper) + ")");
        var everyone = web.Scalar<long>("SELECT COALESCE(SUM(amount), 0) FROM mirror_invoices WHERE vanished_at IS NULL AND issued_on >= '" + Day(from) +
            "' AND issued_on <= '" + Day(Today) + "'");
        Assert.That(Totals(narrowed), Is.EqualTo(new[] { Rubles(expected), Rubles(expected) }), "both rankings: the segment's clients only");
        Assert.That(Totals(all), Is.EqualTo(new[] { Rubles(everyone), Rubles(everyone) }));
        Assert.That(expected, Is.LessThan(everyone));
        Assert.That(narrowed.QuerySelector("p.muted")?.TextContent, Does.EndWith("; clients in segment=upper"));
        Assert.That(narrowed.QuerySelector("select[name=segment] option[selected]")?.GetAttribute("value"), Is.EqualTo("upper"));
        var listed = narrowed.QuerySelectorAll("section.report")[0].QuerySelectorAll("tbody tr a").Select(a => long.Parse(a.GetAttribute("href")!["/clients/".Length..], CultureInfo.InvariantCulture));
        Assert.That(upper, Is.SupersetOf(listed));
    }

    private static List<string> Totals(IHtmlDocument page) => page.QuerySelectorAll("tr.total").Select(r => r.Children[3].TextContent.Trim()).ToList();

    private static string Rubles(long stored) => (stored / 10_000m).ToString("N2", CultureInfo.GetCultureInfo("ru-RU")) + " ₽";
}

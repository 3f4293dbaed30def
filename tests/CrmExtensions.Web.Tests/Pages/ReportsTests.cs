using System.Globalization;
using System.Net;
using AngleSharp.Html.Parser;
using CrmExtensions.Testing;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>/reports shows what <c>crmx report</c> writes, for the same range, on every store.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ReportsTests
{
    private static readonly string[] BuiltIn = ["pareto", "aging", "managers", "dynamics"];

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.Now);

    private static string[] Range => ["--from", Day(Today.AddYears(-1).AddDays(1)), "--to", Day(Today)];

    private static string Query => $"?from={Day(Today.AddYears(-1).AddDays(1))}&to={Day(Today)}";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [TestCaseSource(typeof(TestDatabases), nameof(TestDatabases.All))]
    public async Task Totals_EqualThoseOfCrmxReport_ForTheSameRange(DatabaseProvider provider)
    {
        using var database = provider == DatabaseProvider.Postgres ? TestDatabase.Create(provider) : null;
        await using var web = await WebWorkspace.StartAsync(database?.ConnectionString);
        using var http = await web.SignedInClientAsync(WebWorkspace.Director);
        var parser = new HtmlParser();

        foreach (var name in BuiltIn)
        {
            var page = parser.ParseDocument(await http.GetStringAsync($"/reports/{name}{Query}"));
            await web.CrmxAsync(["report", name, "--format", "html", "--out", name + ".html", .. Range]);
            var cli = parser.ParseDocument(await File.ReadAllTextAsync(Path.Combine(web.Folder, name + ".html")));

            var webTotals = page.QuerySelectorAll("tr.total").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToList()).ToList();
            var cliTotals = cli.QuerySelectorAll("tr.total").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToList()).ToList();
            Assert.That(webTotals, Is.Not.Empty, name);
            Assert.That(webTotals, Is.EqualTo(cliTotals), name);
        }

        // The year's four invoices, 5 000 + 700 + 10 + 120 000,50, in both rankings of the Pareto report.
        var pareto = parser.ParseDocument(await http.GetStringAsync($"/reports/pareto{Query}"));
        var revenue = 125_710.50m.ToString("N2", CultureInfo.GetCultureInfo("ru-RU")) + " ₽";
        Assert.That(pareto.QuerySelectorAll("tr.total").Select(r => r.Children[3].TextContent.Trim()), Is.EqualTo(new[] { revenue, revenue }));
    }

    [Test]
    public async Task Pareto_ShowsTwoRankingsApart_AndLinksEachClientToItsCard()
    {
        await using var web = await WebWorkspace.StartAsync();
        using var http = await web.SignedInClientAsync(WebWorkspace.Manager);
        var romashka = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");

        var page = new HtmlParser().ParseDocument(await http.GetStringAsync($"/reports/pareto{Query}"));

        var sections = page.QuerySelectorAll("section.report");
        Assert.That(sections.Select(s => s.QuerySelector("h2")?.TextContent), Is.EqualTo(new[] { "Unified clients", "Ledger counterparties as they are (before unification)" }));
        var clients = sections[0].QuerySelectorAll("tbody tr").ToList();
        var ledgers = sections[1].QuerySelectorAll("tbody tr").ToList();
        // The branch and the head office are one client, two ledger rows.
        Assert.That(clients, Has.Count.EqualTo(3));
        Assert.That(ledgers, Has.Count.EqualTo(4));
        Assert.That(clients[0].QuerySelector("a")?.GetAttribute("href"), Is.EqualTo($"/clients/{romashka}"));
        Assert.That(clients.Select(r => r.QuerySelector("a")?.GetAttribute("href")), Has.All.Match(@"^/clients/\d+$"));
        Assert.That(ledgers.SelectMany(r => r.QuerySelectorAll("a")), Is.Empty, "a ledger row is not a client");
        Assert.That(ledgers[0].TextContent, Does.Contain("spb:7"));
        Assert.That(sections[0].QuerySelector("svg"), Is.Not.Null, "the HTML reports' Pareto chart");
        Assert.That(page.Body!.InnerHtml, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"), "ledger text is escaped in the tables and the chart");
    }

    [Test]
    public async Task Csv_ReturnsTheTableCrmxReportWrites()
    {
        await using var web = await WebWorkspace.StartAsync();
        using var http = await web.SignedInClientAsync(WebWorkspace.Manager);

        foreach (var name in BuiltIn)
        {
            using var response = await http.GetAsync($"/reports/{name}{Query}&format=csv");
            var body = await response.Content.ReadAsStringAsync();
            var cli = await web.CrmxAsync(["report", name, "--format", "csv", .. Range]);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), name);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"), name);
            Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"), name);
            Assert.That(body, Is.EqualTo(cli), name);
        }

        var aging = await http.GetStringAsync($"/reports/aging{Query}&format=csv");
        Assert.That(aging.Split("\r\n")[0], Is.EqualTo("client,name,current,1–30,31–60,61–90,90+,total,invoices"));
        Assert.That(aging, Does.Contain("120000.50"), "СПБ-9 is open");
    }

    [Test]
    public async Task PluginReports_AppearUnderReports()
    {
        await using var web = await WebWorkspace.StartAsync();
        TestFiles.InstallTestPlugin("Reporting", Path.Combine(web.Folder, "plugins"));
        using var http = await web.SignedInClientAsync(WebWorkspace.Manager);

        var index = new HtmlParser().ParseDocument(await http.GetStringAsync("/reports"));
        var links = index.QuerySelectorAll("main a").Select(a => a.GetAttribute("href")).ToList();
        var report = await http.GetStringAsync("/reports/Test.Reporting/range-echo?from=2025-01-01&to=2025-06-30&asOf=2025-06-15");

        Assert.That(links, Does.Contain("/reports/pareto").And.Contain("/reports/dynamics").And.Contain("/reports/Test.Reporting/range-echo"));
        Assert.That(report, Does.Contain("Range echo").And.Contain("2025-06-15").And.Contain("<svg"));
    }

    /// <summary>Issue 19: a plugin's report runs in its plugin's worker; one that overflows its stack there is shown as its
    /// problem, naming the plugin, and the web server (which it would have ended in process) serves the other reports.</summary>
    [Test]
    public async Task PluginReport_EndingItsWorker_ShowsTheProblem_AndTheServerCarriesOn()
    {
        await using var web = await WebWorkspace.StartAsync(pluginSettings: """{ "Test.CrashesInViews": { "failure": "overflow" } }""");
        TestFiles.InstallTestPlugin("Reporting", Path.Combine(web.Folder, "plugins"));
        TestFiles.InstallTestPlugin("CrashesInViews", Path.Combine(web.Folder, "plugins"));
        using var http = await web.SignedInClientAsync(WebWorkspace.Manager);

        using var crashed = await http.GetAsync("/reports/Test.CrashesInViews/crash?to=2025-06-30");
        var other = await http.GetStringAsync("/reports/Test.Reporting/range-echo?from=2025-01-01&to=2025-06-30&asOf=2025-06-15");

        Assert.That(crashed.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        var page = new HtmlParser().ParseDocument(await crashed.Content.ReadAsStringAsync());
        Assert.That(page.QuerySelector("h1")!.TextContent, Is.EqualTo("Crashing report"));
        Assert.That(page.QuerySelector("p.alert")!.TextContent, Does.StartWith("plugin 'Test.CrashesInViews': report crash ended its worker: ").And.Contain("Stack overflow"));
        Assert.That(other, Does.Contain("Range echo").And.Contain("2025-06-15"));
    }

    [Test]
    public async Task AManagerKeptToOwnClients_CannotReadTheReports()
    {
        await using var web = await WebWorkspace.StartAsync(managersSeeOnlyOwnClients: true);
        using var manager = await web.SignedInClientAsync(WebWorkspace.Manager);
        using var director = await web.SignedInClientAsync(WebWorkspace.Director);

        using var denied = await manager.GetAsync("/reports/pareto");
        using var allowed = await director.GetAsync("/reports/pareto");

        Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}

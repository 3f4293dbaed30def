using System.Net;
using AngleSharp.Html.Parser;
using CrmExtensions.Testing;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>
/// Issue 14, item 5: a plugin built against SDK 1.2 adds a panel to the client card, rendered from its template with the
/// ledger's values escaped; <c>/admin/plugins</c> lists the plugins as <c>crmx plugins list</c> does, for directors only.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PluginPanelTests
{
    [TestCaseSource(typeof(TestDatabases), nameof(TestDatabases.All))]
    public async Task HelloPlugin_AddsItsPanelToTheCard_AndIsListedForDirectors(DatabaseProvider provider)
    {
        using var database = provider == DatabaseProvider.Postgres ? TestDatabase.Create(provider) : null;
        await using var web = await WebWorkspace.StartAsync(database?.ConnectionString);
        // The web loads the plugins folder on first use: installing before the first card is installing before start.
        TestFiles.InstallHelloPlugin(Path.Combine(web.Folder, "plugins"));
        var romashka = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        var script = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '3'");
        using var manager = await web.SignedInClientAsync(WebWorkspace.Manager);

        var card = new HtmlParser().ParseDocument(await manager.GetStringAsync($"/clients/{romashka}"));

        var panel = card.QuerySelector("section.plugin[data-plugin='Hello']");
        Assert.That(panel, Is.Not.Null, "HelloPlugin's panel is on the card");
        Assert.That(panel!.QuerySelector("h2")!.TextContent, Does.StartWith("Hello: long overdue"));
        Assert.That(panel.QuerySelectorAll("li").Select(li => li.TextContent), Has.Some.StartWith("Invoice СПБ-9 (ООО «Ромашка» (Санкт-Петербургский филиал)): 120\u00a0000,50\u00a0₽"),
            "the branch's invoice, three months overdue, from the other ledger");
        Assert.That(panel.QuerySelectorAll("li").Select(li => li.TextContent), Has.None.Contains("МСК-1"), "paid");

        // The <script> counterparty's invoice is a month from due: its panel says so, and nothing of it is markup.
        var scriptCard = await manager.GetStringAsync($"/clients/{script}");
        Assert.That(scriptCard, Does.Contain("No invoice is more than 30 days overdue."));
        Assert.That(scriptCard, Does.Not.Contain("<script>alert(1)"));

        using var refused = await manager.GetAsync("/admin/plugins");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a manager does not administer plugins");
        using var director = await web.SignedInClientAsync(WebWorkspace.Director);
        var list = new HtmlParser().ParseDocument(await director.GetStringAsync("/admin/plugins"));
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("HelloPlugin", StringComparison.Ordinal));
        Assert.That(row.QuerySelector("td[data-label='State']")!.TextContent, Is.EqualTo("loaded"));
        Assert.That(row.QuerySelector("td[data-label='Contributes']")!.TextContent, Does.Contain("client panels: OverduePanel"));
    }

    /// <summary>Issue 19: a panel or page runs in its plugin's worker; one that ends the worker is shown as its problem,
    /// and the web server (this test process, in process isolation the plugin's) carries on.</summary>
    [TestCase("exit", "ended its worker: the worker exited with code 42")]
    [TestCase("overflow", "Stack overflow")]
    public async Task PanelAndPage_EndingTheirWorker_ShowTheProblemInPlace_AndTheCardRenders(string failure, string named)
    {
        await using var web = await WebWorkspace.StartAsync(pluginSettings: $$"""{ "Test.CrashesInViews": { "failure": "{{failure}}" } }""");
        var plugins = Path.Combine(web.Folder, "plugins");
        TestFiles.InstallHelloPlugin(plugins);
        TestFiles.InstallTestPlugin("CrashesInViews", plugins);
        var romashka = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        using var manager = await web.SignedInClientAsync(WebWorkspace.Manager);

        using var response = await manager.GetAsync($"/clients/{romashka}");
        var page = await manager.GetStringAsync("/plugins/Test.CrashesInViews/crash");
        var again = new HtmlParser().ParseDocument(await manager.GetStringAsync($"/clients/{romashka}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var card = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var crashed = card.QuerySelector("section.plugin[data-plugin='Test.CrashesInViews']");
        Assert.That(crashed, Is.Not.Null, "the failed panel has its place on the card");
        Assert.That(crashed!.QuerySelector("p.alert")!.TextContent, Does.StartWith("plugin 'Test.CrashesInViews': client panels ended its worker: ").And.Contain(named));
        Assert.That(card.QuerySelector("section.plugin[data-plugin='Hello'] h2")!.TextContent, Does.StartWith("Hello: long overdue"), "the other plugin's panel renders");
        var shown = new HtmlParser().ParseDocument(page).QuerySelector("section.plugin[data-plugin='Test.CrashesInViews'] p.alert");
        Assert.That(shown!.TextContent, Does.StartWith("plugin 'Test.CrashesInViews': page crash ended its worker: ").And.Contain(named));
        Assert.That(again.QuerySelector("section.plugin[data-plugin='Hello'] h2"), Is.Not.Null, "the server is still up");
    }
}

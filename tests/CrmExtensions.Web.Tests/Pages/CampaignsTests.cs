using System.Net;
using AngleSharp.Html.Parser;
using CrmExtensions.Application.Campaigns;
using CrmExtensions.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>/campaigns: packs checked in full, previews, dry runs, sending (directors only) and each campaign's status.</summary>
[TestFixture]
[NonParallelizable]
public sealed class CampaignsTests
{
    public static readonly string SamplePack = Path.Combine(TestEnvironment.RepoRoot, "samples", "campaigns", "statement");

    private WebWorkspace _web = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _web = await WebWorkspace.StartAsync();
        _web.Services.GetRequiredService<CampaignService>().Install(SamplePack);
        var broken = Path.Combine(_web.Folder, CampaignService.PacksDirectory, "broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "pack.json"), """{ "name": "broken", "locale": "ru-RU" }""");
        File.WriteAllText(Path.Combine(broken, "subject.scriban"), "Счёт для {{ if }}да{{ end }}");
        File.WriteAllText(Path.Combine(broken, "body.txt.scriban"), "Здравствуйте!\n{{ for invoice in }}\n{{ end }}");
        var typo = Path.Combine(_web.Folder, CampaignService.PacksDirectory, "typo");
        Directory.CreateDirectory(typo);
        File.WriteAllText(Path.Combine(typo, "pack.json"), """{ "name": "typo", "locale": "ru-RU", "needs": ["client"] }""");
        File.WriteAllText(Path.Combine(typo, "subject.scriban"), "Привет");
        File.WriteAllText(Path.Combine(typo, "body.txt.scriban"), "Здравствуйте,\n  {{ client.nmae }}!");
    }

    [OneTimeTearDown]
    public async Task Stop() => await _web.DisposeAsync();

    [Test]
    public async Task ABrokenPack_ListsEveryErrorWithFileLineAndColumn()
    {
        using var http = await _web.SignedInClientAsync(WebWorkspace.Manager);
        var parser = new HtmlParser();

        var index = parser.ParseDocument(await http.GetStringAsync("/campaigns"));
        var broken = parser.ParseDocument(await http.GetStringAsync("/campaigns/broken"));
        var typo = parser.ParseDocument(await http.GetStringAsync("/campaigns/typo?client=" + WebWorkspace.RomashkaInn));

        var problems = broken.QuerySelectorAll("#problems li").Select(li => li.TextContent).ToList();
        Assert.That(problems, Has.One.Match(@"subject\.scriban\(1,\d+\): "));
        Assert.That(problems, Has.One.Match(@"body\.txt\.scriban\(2,\d+\): "));
        Assert.That(problems, Has.Count.EqualTo(2));
        var row = index.QuerySelectorAll("table.packs tbody tr").Single(r => r.QuerySelector("a")?.TextContent == "broken");
        Assert.That(row.TextContent, Does.Contain("2 problems"));
        Assert.That(broken.QuerySelector("#preview"), Is.Null, "a broken pack renders nothing");
        // A pack that loads but fails for a client: the strict member check names the file and the position.
        Assert.That(typo.QuerySelectorAll("#preview .problems li").Select(li => li.TextContent), Has.One.Match(@"body\.txt\.scriban\(2,\d+\): .*nmae"));
        Assert.That(typo.QuerySelector("#mail-subject"), Is.Null);
    }

    [Test]
    public async Task DryRun_CountsTheSegment_AndQueuesNothing()
    {
        using var http = await _web.SignedInClientAsync(WebWorkspace.Director);

        var page = new HtmlParser().ParseDocument(await http.GetStringAsync("/campaigns/statement?dry=true&overdue=yes&campaign=dry-run-check"));
        var everyone = new HtmlParser().ParseDocument(await http.GetStringAsync("/campaigns/statement?dry=true&campaign=dry-run-check"));

        // Only «Ромашка» owes past due (its branch's СПБ-9): an unresolved problem, so the marketing pack holds it back.
        Assert.That(page.QuerySelector("#recipients")?.TextContent, Is.EqualTo("0"));
        Assert.That(page.QuerySelector("#held-back")?.TextContent, Is.EqualTo("1"));
        Assert.That(int.Parse(everyone.QuerySelector("#recipients")!.TextContent, System.Globalization.CultureInfo.InvariantCulture), Is.Positive, "the clients without problems are mailed");
        Assert.That(everyone.QuerySelector("#held-back")?.TextContent, Is.EqualTo("1"));
        Assert.That(_web.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE source = 'campaign:dry-run-check'"), Is.Zero);
    }

    [Test]
    public async Task DryRun_AStoredBehaviourSegment_IsOfferedAndCountedLikeAnyOther()
    {
        await _web.Services.GetRequiredService<Application.Segments.SegmentService>()
            .AddAsync("paying", "not overdue=yes", replace: true, by: null, CancellationToken.None);
        using var http = await _web.SignedInClientAsync(WebWorkspace.Director);

        var page = new HtmlParser().ParseDocument(await http.GetStringAsync("/campaigns/statement?dry=true&behaviour=paying&campaign=behaviour-check"));
        var notOverdue = new HtmlParser().ParseDocument(await http.GetStringAsync("/campaigns/statement?dry=true&overdue=no&campaign=behaviour-check"));

        Assert.That(page.QuerySelectorAll("select[name=behaviour] option").Select(o => o.TextContent), Does.Contain("paying"));
        Assert.That(page.QuerySelector("select[name=behaviour] option[selected]")?.TextContent, Is.EqualTo("paying"));
        // Clients without overdue debt: a marketing pack holds none of them back, so the send is offered.
        Assert.That(page.QuerySelector("#recipients")?.TextContent, Is.EqualTo(notOverdue.QuerySelector("#recipients")?.TextContent));
        Assert.That(int.Parse(page.QuerySelector("#recipients")!.TextContent, System.Globalization.CultureInfo.InvariantCulture), Is.Positive);
        Assert.That(page.QuerySelector("#dry-run")?.TextContent, Does.Contain("segment=paying"));
        Assert.That(page.QuerySelector("form.confirm input[name=Behaviour]")?.GetAttribute("value"), Is.EqualTo("paying"), "the send carries the segment");
    }

    [Test]
    public async Task Send_AManagerIsForbidden_ADirectorQueuesOnceAndSeesTheStatus()
    {
        using var manager = await _web.SignedInClientAsync(WebWorkspace.Manager);
        using var director = await _web.SignedInClientAsync(WebWorkspace.Director);
        var managerPage = await manager.GetStringAsync("/campaigns/statement?dry=true&overdue=no&campaign=autumn");
        var expected = new HtmlParser().ParseDocument(managerPage).QuerySelector("#recipients")!.TextContent;
        var form = new Dictionary<string, string> { ["Overdue"] = "no", ["Campaign"] = "autumn", ["Expected"] = expected };
        using var forbidden = await manager.PostAsync("/campaigns/statement?handler=send",
            new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["__af"] = await WebWorkspace.AntiforgeryTokenAsync(manager, "/campaigns") }));
        var afterManager = _web.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE source = 'campaign:autumn'");
        using var noToken = await director.PostAsync("/campaigns/statement?handler=send", new FormUrlEncodedContent(form));
        using var wrongCount = await director.PostAsync("/campaigns/statement?handler=send",
            new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["Expected"] = expected + "0", ["__af"] = await WebWorkspace.AntiforgeryTokenAsync(director, "/campaigns") }));
        var afterRefusals = _web.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE source = 'campaign:autumn'");
        using var sent = await director.PostAsync("/campaigns/statement?handler=send",
            new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["__af"] = await WebWorkspace.AntiforgeryTokenAsync(director, "/campaigns") }));
        var status = new HtmlParser().ParseDocument(await director.GetStringAsync("/campaigns"));

        Assert.That(int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Is.Positive);
        Assert.That(new HtmlParser().ParseDocument(managerPage).QuerySelector("form.confirm"), Is.Null, "no send form for a manager");
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(afterManager, Is.Zero);
        Assert.That(noToken.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "antiforgery");
        Assert.That(wrongCount.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the confirmed number no longer matches");
        Assert.That(afterRefusals, Is.Zero);
        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(sent.Headers.Location?.OriginalString, Is.EqualTo("/campaigns"));
        Assert.That(_web.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE source = 'campaign:autumn' AND status = 'queued'").ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected));
        Assert.That(status.QuerySelector(".notice")?.TextContent, Does.Contain($"queued {expected} new mail"));
        var row = status.QuerySelectorAll("table.campaigns tbody tr").Single(r => r.Children[0].TextContent == "autumn");
        Assert.That(row.QuerySelector("td[data-label=queued]")?.TextContent, Is.EqualTo(expected));
        Assert.That(row.QuerySelector("td[data-label=total]")?.TextContent, Is.EqualTo(expected));
        Assert.That(row.QuerySelector("td[data-label='control']")?.TextContent,
            Is.EqualTo(_web.Scalar<long>("SELECT COUNT(*) FROM campaign_groups WHERE campaign = 'autumn' AND group_name = 'control'").ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task PreviewHtml_IsServedUnderItsOwnStrictPolicy()
    {
        using var http = await _web.SignedInClientAsync(WebWorkspace.Manager);

        using var response = await http.GetAsync("/campaigns/statement/html?client=" + WebWorkspace.RomashkaInn);
        using var outside = await http.GetAsync("/campaigns/..%2F..%2Fsamples/html?client=" + WebWorkspace.RomashkaInn);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("СПБ-9"));
        Assert.That(csp, Does.Contain("sandbox").And.Contain("default-src 'none'").And.Contain("frame-ancestors 'self'").And.Not.Contain("script-src"));
        Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "SAMEORIGIN" }));
        Assert.That(outside.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "only the packs listed are found");
    }
}

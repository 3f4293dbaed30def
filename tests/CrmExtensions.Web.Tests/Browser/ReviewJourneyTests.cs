using Microsoft.Playwright;

namespace CrmExtensions.Web.Tests.Browser;

/// <summary>Duplicate review in a real browser: a director decides a pair "same client", unification makes one client of
/// it; the decision undone at /review/decisions, unification makes two again.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ReviewJourneyTests : BrowserFixture
{
    private protected override async Task<WebWorkspace> StartWorkspaceAsync()
    {
        var web = await WebWorkspace.StartAsync();
        await DuplicatePair.AddAsync(web);
        return web;
    }

    [Test]
    public async Task SameClient_UnifiedIntoOneCard_UndoneAndUnifiedIntoTwo()
    {
        var (context, page) = await SignedInAsync(WebWorkspace.Director);
        await using var session = context;
        Assert.That(await ClientsFoundAsync(page), Is.EqualTo(2), "two clients before the decision");

        // The pair, both rows side by side with the evidence and the score.
        await page.GetByRole(AriaRole.Link, new() { Name = "Review", Exact = true }).ClickAsync();
        var pair = page.Locator("#pair");
        await Assertions.Expect(pair.Locator("dl.side").First).ToContainTextAsync("ООО Вектор-Плюс");
        await Assertions.Expect(pair.Locator("dl.side").Nth(1)).ToContainTextAsync("ООО Вектор Плюс");
        await Assertions.Expect(pair.Locator("dl.side").First).ToContainTextAsync("7710140679");
        await Assertions.Expect(pair.Locator("dl.side").Nth(1)).ToContainTextAsync(DuplicatePair.Phone);
        await Assertions.Expect(pair.Locator("dl.side").Nth(1)).ToContainTextAsync(DuplicatePair.Second);
        await Assertions.Expect(pair).ToContainTextAsync("score 0.");
        await Assertions.Expect(pair.Locator(".evidence")).ToContainTextAsync("phone");

        // "Same client": recorded as 'crmx clients merge' records it, and the pair leaves the list.
        await pair.GetByRole(AriaRole.Button, new() { Name = "Same client" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("recorded");
        await Assertions.Expect(page.Locator("#pair")).ToHaveCountAsync(0);
        var decisions = await Web.CrmxAsync("clients", "decisions");
        Assert.That(decisions, Does.Contain(DuplicatePair.First).And.Contain(DuplicatePair.Second));

        await Web.CrmxAsync("unify");
        Assert.That(await ClientsFoundAsync(page), Is.EqualTo(1), "one client after unification");

        // Undo it; the next unification makes two clients again and sends the pair back to review.
        await page.GotoAsync("/review/decisions");
        var row = page.Locator("table.decisions tbody tr", new() { HasText = DuplicatePair.First });
        await Assertions.Expect(row).ToContainTextAsync("same client");
        await row.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("undone");
        await Assertions.Expect(page.Locator("table.decisions tbody tr", new() { HasText = DuplicatePair.First })).ToContainTextAsync("undone");

        await Web.CrmxAsync("unify");
        Assert.That(await ClientsFoundAsync(page), Is.EqualTo(2), "two clients after the undo");
        await page.GotoAsync("/review");
        await Assertions.Expect(page.Locator("#pair")).ToContainTextAsync("ООО Вектор-Плюс");
    }

    // The pair's shared phone finds every client that has either row.
    private static async Task<int> ClientsFoundAsync(IPage page)
    {
        await page.GotoAsync("/clients?who=all&q=" + DuplicatePair.Phone);
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        return await page.Locator("table.clients tbody tr").CountAsync();
    }
}

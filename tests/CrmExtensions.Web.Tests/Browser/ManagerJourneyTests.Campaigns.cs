using CrmExtensions.Application.Campaigns;
using CrmExtensions.Web.Tests.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CrmExtensions.Web.Tests.Browser;

/// <summary>The sample statement pack previewed on a client with an overdue invoice: the subject, the text part, and the
/// HTML part in a sandboxed iframe.</summary>
public sealed partial class ManagerJourneyTests
{
    [Test]
    public async Task Campaigns_PreviewTheStatementPackOnAClientWithAnOverdueInvoice_ShowsSubjectTextAndSandboxedHtml()
    {
        Web.Services.GetRequiredService<CampaignService>().Install(CampaignsTests.SamplePack);
        var (context, page) = await SignedInAsync(WebWorkspace.Manager);
        await using var _ = context;
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { problems.Add(m.Text); } };
        page.Response += (_, r) => { if (r.Status >= 400) { problems.Add($"{r.Status} {r.Url}"); } };

        await page.GetByRole(AriaRole.Link, new() { Name = "Campaigns" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "statement" }).ClickAsync();
        // «Ромашка» is offered as a client with overdue invoices (its branch's СПБ-9).
        await page.Locator("#preview").GetByRole(AriaRole.Link, new() { Name = "ООО «Ромашка»" }).ClickAsync();

        await Assertions.Expect(page.Locator("#mail-subject")).ToContainTextAsync("ООО «Ромашка»: 1 неоплаченный счёт на 120");
        await Assertions.Expect(page.Locator("#mail-to")).ToContainTextAsync("ivanov@romashka.example");
        await Assertions.Expect(page.Locator("#mail-text")).ToContainTextAsync("Здравствуйте, Иванов Иван Иванович!");
        await Assertions.Expect(page.Locator("#mail-text")).ToContainTextAsync("СПБ-9");
        Assert.That(await page.Locator("iframe.mail-html").GetAttributeAsync("sandbox"), Is.EqualTo(""), "sandboxed: no script, a unique origin");
        await Assertions.Expect(page.FrameLocator("iframe.mail-html").Locator("body")).ToContainTextAsync("СПБ-9");
        Assert.That(problems, Is.Empty);
    }

    /// <summary>In the browser, a manager is refused the review pages (403, "Not allowed") and sees no review link; the
    /// campaign page offers them no send button, and a send posted with their own valid token is refused (403).</summary>
    [Test]
    public async Task Manager_IsRefusedTheReviewQueue_AndCannotSendACampaign()
    {
        Web.Services.GetRequiredService<CampaignService>().Install(CampaignsTests.SamplePack);
        var (context, page) = await SignedInAsync(WebWorkspace.Manager);
        await using var _ = context;

        Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = "Review" }).CountAsync(), Is.Zero, "no review link for a manager");
        var review = await page.GotoAsync("/review");
        Assert.That(review!.Status, Is.EqualTo(403));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        Assert.That((await page.GotoAsync("/review/decisions"))!.Status, Is.EqualTo(403));

        await page.GotoAsync("/campaigns/statement?dry=true&overdue=yes");
        await Assertions.Expect(page.Locator("#recipients")).ToBeVisibleAsync();
        Assert.That(await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Send to") }).CountAsync(), Is.Zero);
        // The sign-out form carries the page's antiforgery token: a send posted with it, from this signed-in browser.
        var token = await page.Locator("input[name=__af]").First.GetAttributeAsync("value");
        var form = context.APIRequest.CreateFormData();
        form.Set("__af", token!);
        form.Set("Overdue", "yes");
        form.Set("Expected", "1");
        var send = await context.APIRequest.PostAsync("/campaigns/statement?handler=send", new() { Form = form });
        Assert.That(send.Status, Is.EqualTo(403));
        Assert.That(Web.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE source LIKE 'campaign:%'"), Is.Zero);
    }
}

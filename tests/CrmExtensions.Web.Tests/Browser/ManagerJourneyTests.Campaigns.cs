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
}

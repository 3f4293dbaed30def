using System.Text.RegularExpressions;
using CrmExtensions.Application;
using CrmExtensions.Application.Activities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CrmExtensions.Web.Tests.Browser;

/// <summary>A manager's day in a real browser: sign in, find a client by a branch's INN, see the other ledger's invoice,
/// log a call with a follow-up, find it on the timeline and under "my day", mark it done.</summary>
[TestFixture]
[NonParallelizable]
public sealed partial class ManagerJourneyTests : BrowserFixture
{
    [Test]
    public async Task SignIn_FindByBranchInn_LogACall_FollowUpIsDoneFromMyDay()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Web.BaseUrl, Locale = "ru-RU" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); } };
        page.Response += (_, r) => { if (r.Status >= 404) { errors.Add($"{r.Status} {r.Url}"); } };

        // Anonymous: sent to the sign-in page, then back to "my day".
        await page.GotoAsync("/");
        Assert.That(page.Url, Does.Contain("/login"));
        await page.GetByLabel("User name").FillAsync(WebWorkspace.Manager);
        await page.GetByLabel("Password").FillAsync(WebWorkspace.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My day" })).ToBeVisibleAsync();

        // The branch's INN (its KPP is Saint Petersburg's, in the other ledger) finds the one unified client.
        await page.GotoAsync("/clients");
        await page.GetByLabel("Search").FillAsync(WebWorkspace.RomashkaInn);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        var rows = page.Locator("table.clients tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(ClientUrl());

        // The card gathers both ledgers: the head office here, the branch's overdue invoice from spb.
        await Assertions.Expect(page.Locator("#entities")).ToContainTextAsync("780202001");
        await Assertions.Expect(page.Locator("#money")).ToContainTextAsync("СПБ-9");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("СПБ-9");

        // Log a call with a follow-up due today; on a day off, due on the last working day (a task due on a day off is shown
        // on the next working day, so one due today would not be in today's list).
        var settings = Web.Services.GetRequiredService<CrmWorkspace>().ReminderSettings;
        var followUpOn = settings.DueBound(settings.Today(DateTimeOffset.Now));
        await page.Locator("select[name='Form.Kind']").SelectOptionAsync("call");
        await page.GetByLabel("Subject").FillAsync("Обсудили оплату СПБ-9");
        await page.GetByLabel("Outcome").FillAsync("Обещали оплатить до пятницы");
        await page.Locator("select[name='Form.Contact']").SelectOptionAsync(new SelectOptionValue { Label = "Иванов Иван Иванович" });
        await page.Locator("input[name='Form.FollowUpOn']").FillAsync(followUpOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("input[name='Form.FollowUp']").FillAsync("Перезвонить Иванову по оплате");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log it" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Logged");
        await Assertions.Expect(page.Locator("#timeline li").First).ToContainTextAsync("Обсудили оплату СПБ-9");

        // The CLI's contact log sees the same row.
        var logged = await Web.Services.GetRequiredService<ActivityService>().ListAsync(null, null, null, 50, CancellationToken.None);
        Assert.That(logged.Select(a => a.Subject), Does.Contain("Обсудили оплату СПБ-9"));

        // "My day": the follow-up is due today; done in place, and gone after a reload.
        await page.GetByRole(AriaRole.Link, new() { Name = "My day" }).ClickAsync();
        var item = page.Locator("#reminders li", new() { HasText = "Перезвонить Иванову по оплате" });
        await Assertions.Expect(item).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#birthdays")).ToContainTextAsync("Иванов Иван Иванович");
        await item.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(item).ToContainTextAsync("Marked done.");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#reminders li", new() { HasText = "Перезвонить Иванову по оплате" })).ToHaveCountAsync(0);
        Assert.That(Web.Scalar<string>("SELECT status FROM reminders WHERE title = 'Перезвонить Иванову по оплате'"), Is.EqualTo("done"));
        Assert.That(errors, Is.Empty, "the browser's console");
    }

    [GeneratedRegex(@"/clients/\d+$")]
    private static partial Regex ClientUrl();
}

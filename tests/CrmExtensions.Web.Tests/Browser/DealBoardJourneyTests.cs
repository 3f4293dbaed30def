using Microsoft.Playwright;

namespace CrmExtensions.Web.Tests.Browser;

/// <summary>The pipeline board in a real browser: open a deal from the client card, move it on the board, see the Receivables
/// guard refuse on the card (the debt is the branch's, in the other ledger), pay the invoice in the ledger, sync, move again.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DealBoardJourneyTests : BrowserFixture
{
    private protected override Task<WebWorkspace> StartWorkspaceAsync() => WebWorkspace.StartAsync(plugins: WebWorkspace.SalesPlugins);

    [Test]
    public async Task Move_RefusedByTheReceivablesGuardOnTheCard_AllowedAfterThePaymentIsSynced()
    {
        var (context, page) = await SignedInAsync(WebWorkspace.Manager);
        await using var session = context;
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); } };

        // Open a deal from the head office's card.
        var client = Web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        await page.GotoAsync($"/clients/{client}");
        await page.Locator("#deals summary").ClickAsync();
        await page.GetByLabel("Title").FillAsync("Поставка насосов");
        await page.GetByLabel("Amount").FillAsync("250 000,50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the deal" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Opened deal");
        await Assertions.Expect(page.Locator("#deals")).ToContainTextAsync("Поставка насосов");

        // On the board it is a card in the first stage, with client, amount, manager and age.
        await page.Locator("#deals").GetByRole(AriaRole.Link, new() { Name = "Поставка насосов" }).ClickAsync();
        var card = page.Locator("article.deal", new() { HasText = "Поставка насосов" });
        await Assertions.Expect(page.Locator(".stage[data-stage='lead'] article.deal")).ToContainTextAsync("Поставка насосов");
        await Assertions.Expect(card).ToContainTextAsync("ООО «Ромашка»");
        await Assertions.Expect(card).ToContainTextAsync("250 000,50 ₽");
        await Assertions.Expect(card).ToContainTextAsync("Петров Пётр");
        await Assertions.Expect(card).ToContainTextAsync("today");

        // The guard refuses: the branch in Saint Petersburg owes СПБ-9. The card stays in "lead" and says why.
        await card.GetByRole(AriaRole.Button, new() { Name = "→ offer" }).ClickAsync();
        var refusal = card.Locator("[role=alert]");
        await Assertions.Expect(refusal).ToContainTextAsync("CrmExtensions.Receivables/OverdueDebtGuard");
        await Assertions.Expect(refusal).ToContainTextAsync("СПБ-9");
        await Assertions.Expect(refusal).ToContainTextAsync("the branch «ООО «Ромашка» (Санкт-Петербургский филиал)» in Санкт-Петербург");
        await Assertions.Expect(page.Locator(".stage[data-stage='lead'] article.deal")).ToContainTextAsync("Поставка насосов");
        Assert.That(Web.Scalar<long>("SELECT COUNT(*) FROM deal_moves WHERE refused = 1 AND guard = 'CrmExtensions.Receivables/OverdueDebtGuard'"), Is.EqualTo(1),
            "the refusal is in the deal's history, as 'crmx deals move' records it");

        // The branch pays in its ledger; the next sync brings the payment in.
        Web.Ledger("spb.db", "UPDATE inv SET paid = amount WHERE id = 'S9'");
        await Web.CrmxAsync("sync");

        // Drag the card onto "offer" (app.js presses the same move button); now the guard allows it.
        await page.ReloadAsync();
        await card.DragToAsync(page.Locator(".stage[data-stage='offer']"));
        await Assertions.Expect(page.Locator(".stage[data-stage='offer'] article.deal")).ToContainTextAsync("Поставка насосов");
        await Assertions.Expect(page.Locator(".stage[data-stage='offer'] article.deal [role=status]")).ToContainTextAsync("Moved from 'lead' to 'offer'");
        Assert.That(Web.Scalar<string>("SELECT stage FROM deals WHERE title = 'Поставка насосов'"), Is.EqualTo("offer"));
        Assert.That(errors, Is.Empty, "the browser's console");
    }
}

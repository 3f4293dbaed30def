using AngleSharp.Html.Parser;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>Issue 17, item 2: the client card shows the client's cross-sell recommendations with their reasons.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClientCardRecommendationsTests
{
    [Test]
    public async Task Card_ClientWhoseBuyersAlsoBoughtAProduct_ShowsItWithItsReason()
    {
        await using var web = await WebWorkspace.StartAsync();
        // Four clients' invoices get lines: two buy a stapler and staples, one the stapler only, one paper only; the third is
        // the one to offer staples to: bought by 2 of the 3 clients who bought the stapler.
        // The ledger invoices three clients; a fourth client gets an invoice of its own here, as sync would mirror it.
        var fourth = web.Scalar<long>("SELECT MIN(client_id) FROM clients WHERE retired_at IS NULL AND client_id NOT IN " +
            "(SELECT client_id FROM mirror_invoices WHERE client_id IS NOT NULL AND vanished_at IS NULL)");
        web.Scalar<object>("INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, issued_on, amount, base_amount, row_hash, first_seen_at, synced_at, client_id) " +
            $"SELECT ledger, 'T-4', ledger_id, '2026-01-05', 1000000, 1000000, 4, '2026-01-10T10:00:00.000Z', '2026-01-10T10:00:00.000Z', client_id FROM client_members WHERE client_id = {fourth} " +
            "ORDER BY ledger, ledger_id LIMIT 1");
        var invoices = Enumerable.Range(0, 4)
            .Select(i => (Ledger: web.Scalar<string>(Pick(i, "ledger"))!, Id: web.Scalar<string>(Pick(i, "ledger_id"))!, Client: web.Scalar<long>(Pick(i, "client_id"))))
            .ToArray();
        string[][] baskets = [["STP", "STA"], ["STP", "STA"], ["STP"], ["PAP"]];
        var line = 0;
        for (var i = 0; i < 4; i++)
        {
            foreach (var product in baskets[i])
            {
                var name = product switch { "STP" => "Степлер", "STA" => "Скобы", _ => "Бумага" };
                web.Scalar<object>("INSERT INTO mirror_invoice_lines (ledger, ledger_id, invoice_id, product_id, amount, product_name, row_hash, first_seen_at, synced_at) " +
                    $"VALUES ('{invoices[i].Ledger}', 'L{++line}', '{invoices[i].Id}', '{product}', 1000000, '{name}', {line}, '2026-01-10T10:00:00.000Z', '2026-01-10T10:00:00.000Z')");
            }
        }

        // As a sync that wrote them would, record the run, so readers know the mirror changed.
        web.Scalar<object>("INSERT INTO sync_runs (ledger, kind, mode, started_at, finished_at, read_rows, inserted, changed, vanished, rejected) " +
            $"VALUES ('{invoices[0].Ledger}', 'invoice_lines', 'full', '2026-01-10T10:00:00.000Z', '2026-01-10T10:00:01.000Z', {line}, {line}, 0, 0, 0)");
        using var director = await web.SignedInClientAsync(WebWorkspace.Director);

        var card = new HtmlParser().ParseDocument(await director.GetStringAsync($"/clients/{invoices[2].Client}"));
        var other = new HtmlParser().ParseDocument(await director.GetStringAsync($"/clients/{invoices[0].Client}"));

        var items = card.QuerySelectorAll("#cross-sell li").Select(li => li.TextContent.Trim()).ToList();
        Assert.That(items, Has.Count.EqualTo(1));
        Assert.That(items[0], Does.StartWith("Скобы").And.Contain("bought by 2 of the 3 clients who bought Степлер"));
        Assert.That(other.QuerySelectorAll("#cross-sell li"), Is.Empty, "a client who bought both is offered neither");
    }

    /// <summary>The i-th client's (by id) first invoice (by key).</summary>
    private static string Pick(int i, string column) =>
        $"SELECT {column} FROM mirror_invoices WHERE client_id = (SELECT client_id FROM (SELECT DISTINCT client_id FROM mirror_invoices WHERE client_id IS NOT NULL AND vanished_at IS NULL) c " +
        $"ORDER BY client_id LIMIT 1 OFFSET {i}) AND vanished_at IS NULL ORDER BY ledger, ledger_id LIMIT 1";
}

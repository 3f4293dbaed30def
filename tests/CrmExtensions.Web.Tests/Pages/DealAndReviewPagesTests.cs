using System.Net;
using CrmExtensions.Application.Deals;
using CrmExtensions.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>The pipeline board and duplicate review on every store: SQLite, and PostgreSQL when one is configured.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DealAndReviewPagesTests
{
    [TestCaseSource(typeof(TestDatabases), nameof(TestDatabases.All))]
    public async Task DealBoard_FiltersAndShowsTheGuardsRefusalOnTheCard(DatabaseProvider provider)
    {
        using var database = provider == DatabaseProvider.Postgres ? TestDatabase.Create(provider) : null;
        await using var web = await WebWorkspace.StartAsync(database?.ConnectionString, plugins: WebWorkspace.SalesPlugins);
        var (deal, _, _) = await web.Services.GetRequiredService<DealService>().OpenAsync(new DealRequest
        {
            Client = WebWorkspace.RomashkaInn, Title = "Поставка насосов", Pipeline = "sales", Amount = 1_000m, Owner = "Петров Пётр",
        }, CancellationToken.None);
        await web.Services.GetRequiredService<DealService>().OpenAsync(new DealRequest
        {
            Client = "7702070139", Title = "<b>bold</b>", Pipeline = "sales",
        }, CancellationToken.None);
        using var director = await web.SignedInClientAsync(WebWorkspace.Director);

        var all = await director.GetStringAsync("/deals");
        Assert.That(all, Does.Contain("Поставка насосов"));
        Assert.That(all, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.Not.Contain("<script>alert(1)</script>"), "a ledger's name is text");
        Assert.That(all, Does.Contain("&lt;b&gt;bold&lt;/b&gt;").And.Not.Contain("<b>bold</b>"), "a deal's title is text");
        Assert.That(await director.GetStringAsync("/deals?pipeline=CrmExtensions.Sales/sales&manager=" + Uri.EscapeDataString("Петров")), Does.Contain("Поставка насосов"));
        Assert.That(await director.GetStringAsync("/deals?manager=" + Uri.EscapeDataString("Сидоров")), Does.Not.Contain("Поставка насосов"));
        using (var unknown = await director.GetAsync("/deals?pipeline=nope"))
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no such pipeline");
        }

        using var moved = await director.PostAsync("/deals?handler=Move", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["deal"] = deal.Id, ["to"] = "offer", ["__af"] = await WebWorkspace.AntiforgeryTokenAsync(director, "/deals"),
        }));
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(moved.Headers.Location?.OriginalString, Is.EqualTo("/deals#deal-" + deal.Id));
        var board = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await director.GetStringAsync("/deals"));
        var card = board.QuerySelector($"#deal-{deal.Id}");
        Assert.That(card?.ParentElement?.GetAttribute("data-stage"), Is.EqualTo("lead"));
        Assert.That(card?.QuerySelector("[role=alert]")?.TextContent, Does.Contain("CrmExtensions.Receivables/OverdueDebtGuard").And.Contain("СПБ-9"));
        Assert.That(web.Scalar<string>($"SELECT stage FROM deals WHERE deal_id = '{deal.Id}'"), Is.EqualTo("lead"));
    }

    [TestCaseSource(typeof(TestDatabases), nameof(TestDatabases.All))]
    public async Task Review_DecisionIsListedAndUndone(DatabaseProvider provider)
    {
        using var database = provider == DatabaseProvider.Postgres ? TestDatabase.Create(provider) : null;
        await using var web = await WebWorkspace.StartAsync(database?.ConnectionString);
        await DuplicatePair.AddAsync(web);
        using var director = await web.SignedInClientAsync(WebWorkspace.Director);

        var review = await director.GetStringAsync("/review");
        Assert.That(review, Does.Contain("ООО Вектор-Плюс").And.Contain("ООО Вектор Плюс").And.Contain("7702070139"));
        using var decided = await director.PostAsync("/review?handler=Decide", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["first"] = DuplicatePair.First, ["second"] = DuplicatePair.Second, ["decision"] = "same-entity", ["at"] = "0",
            ["__af"] = await WebWorkspace.AntiforgeryTokenAsync(director, "/review"),
        }));
        Assert.That(decided.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await director.GetStringAsync("/review"), Does.Contain("Nothing to review"), "a decided pair waits for the next unification off the list");
        Assert.That(web.Scalar<long>("SELECT same_legal_entity FROM unification_decisions"), Is.EqualTo(1));

        var decisions = await director.GetStringAsync("/review/decisions");
        Assert.That(decisions, Does.Contain("same legal entity").And.Contain(DuplicatePair.First));
        var id = web.Scalar<long>("SELECT id FROM unification_decisions");
        using var undone = await director.PostAsync("/review/decisions?handler=Undo", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["__af"] = await WebWorkspace.AntiforgeryTokenAsync(director, "/review/decisions"),
        }));
        Assert.That(undone.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(web.Scalar<string>("SELECT undone_at FROM unification_decisions"), Is.Not.Null);
        Assert.That(await director.GetStringAsync("/review"), Does.Contain("ООО Вектор-Плюс"), "an undone decision leaves the pair to decide again");
    }

    [Test]
    public async Task ClientCard_OpenADeal_ABadAmountIsSaidBesideTheForm_AGoodOneOpensItForTheManager()
    {
        await using var web = await WebWorkspace.StartAsync(plugins: WebWorkspace.SalesPlugins);
        var client = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        using var manager = await web.SignedInClientAsync(WebWorkspace.Manager);
        FormUrlEncodedContent Form(string amount, string token) => new(new Dictionary<string, string>
        {
            ["NewDeal.Title"] = "Поставка насосов", ["NewDeal.Pipeline"] = "CrmExtensions.Sales/sales", ["NewDeal.Amount"] = amount,
            ["NewDeal.ExpectedClose"] = "2026-12-31", ["__af"] = token,
        });

        using var bad = await manager.PostAsync($"/clients/{client}?handler=Deal", Form("много", await WebWorkspace.AntiforgeryTokenAsync(manager, $"/clients/{client}")));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("много").And.Contain("is not an amount such as 1 234,56"));
        Assert.That(web.Scalar<long>("SELECT COUNT(*) FROM deals"), Is.Zero);

        using var good = await manager.PostAsync($"/clients/{client}?handler=Deal", Form("1 234,50", await WebWorkspace.AntiforgeryTokenAsync(manager, $"/clients/{client}")));
        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(web.Scalar<string>("SELECT owner FROM deals"), Is.EqualTo("Петров Пётр"));
        Assert.That(web.Scalar<long>("SELECT amount FROM deals"), Is.EqualTo(12_345_000), "ten-thousandths");
        Assert.That(web.Scalar<string>("SELECT expected_close FROM deals"), Is.EqualTo("2026-12-31"));
        Assert.That(await manager.GetStringAsync($"/clients/{client}"), Does.Contain("Opened deal 1"));
    }

    [Test]
    public async Task DealBoard_ManagerLimitedToOwnClients_NeitherSeesNorMovesAnothersDeal()
    {
        await using var web = await WebWorkspace.StartAsync(managersSeeOnlyOwnClients: true, plugins: WebWorkspace.SalesPlugins);
        var deals = web.Services.GetRequiredService<DealService>();
        await deals.OpenAsync(new DealRequest { Client = WebWorkspace.RomashkaInn, Title = "Сделка Ромашки", Pipeline = "sales" }, CancellationToken.None);
        var (other, _, _) = await deals.OpenAsync(new DealRequest { Client = "7736050003", Title = "Сделка Вектора", Pipeline = "sales" }, CancellationToken.None);
        using var manager = await web.SignedInClientAsync(WebWorkspace.Manager);

        Assert.That(await manager.GetStringAsync("/deals"), Does.Contain("Сделка Ромашки").And.Not.Contain("Сделка Вектора"));
        using (var board = await manager.GetAsync($"/deals?client={other.ClientId}"))
        {
            Assert.That(board.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        using var move = await manager.PostAsync("/deals?handler=Move", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["deal"] = other.Id, ["to"] = "lost", ["__af"] = await WebWorkspace.AntiforgeryTokenAsync(manager, "/deals"),
        }));
        Assert.That(move.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(web.Scalar<string>($"SELECT stage FROM deals WHERE deal_id = '{other.Id}'"), Is.EqualTo("lead"));

        using var director = await web.SignedInClientAsync(WebWorkspace.Director);
        Assert.That(await director.GetStringAsync("/deals"), Does.Contain("Сделка Ромашки").And.Contain("Сделка Вектора"));
    }
}

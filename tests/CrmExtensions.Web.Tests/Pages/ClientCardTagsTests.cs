using AngleSharp.Html.Parser;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>Issue 18, item 4: the client card shows a client's tags with the plugin that set each, as <c>crmx clients show</c> does.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClientCardTagsTests
{
    [Test]
    public async Task Card_TaggedClient_ShowsTheTagNamingThePluginThatSetIt()
    {
        await using var web = await WebWorkspace.StartAsync();
        var romashka = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        web.Scalar<object>($"INSERT INTO client_tags (client_id, name, value, plugin_id, updated_at) VALUES ({romashka}, 'vip', 'gold', 'Test.Tagger', '2026-01-10T10:00:00.000Z')");
        using var manager = await web.SignedInClientAsync(WebWorkspace.Manager);

        var card = new HtmlParser().ParseDocument(await manager.GetStringAsync($"/clients/{romashka}"));

        var tag = card.QuerySelectorAll("span.tag").SingleOrDefault(t => t.TextContent == "vip=gold");
        Assert.That(tag, Is.Not.Null, "the tag is on the card");
        Assert.That(tag!.GetAttribute("title"), Is.EqualTo("vip, set by Test.Tagger"));
    }
}

using System.Net;

namespace CrmExtensions.Web.Tests.Security;

/// <summary>Who sees which clients: managers start with their own and may look at everyone's, unless crmx.json says
/// managers see only their own.</summary>
[TestFixture]
[NonParallelizable]
public sealed class VisibilityTests
{
    [TestCase(false)]
    [TestCase(true)]
    public async Task AnotherManagersClient_IsListedAndOpened_OnlyWhenAllowed(bool restricted)
    {
        await using var web = await WebWorkspace.StartAsync(managersSeeOnlyOwnClients: restricted);
        var vector = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '2'");
        using var manager = await web.SignedInClientAsync(WebWorkspace.Manager);

        var mine = await manager.GetStringAsync("/clients");
        Assert.That(mine, Does.Contain("Ромашка").And.Not.Contain("Вектор"), "a manager's list starts with their own clients");
        var everyone = await manager.GetStringAsync("/clients?who=all");
        Assert.That(everyone.Contains("Вектор", StringComparison.Ordinal), Is.EqualTo(!restricted));
        using var card = await manager.GetAsync($"/clients/{vector}");
        Assert.That(card.StatusCode, Is.EqualTo(restricted ? HttpStatusCode.NotFound : HttpStatusCode.OK));
        using var links = await manager.GetAsync($"/clients/{vector}/links");
        Assert.That(links.StatusCode, Is.EqualTo(restricted ? HttpStatusCode.NotFound : HttpStatusCode.OK));

        // Directors see everyone's whatever the setting.
        using var director = await web.SignedInClientAsync(WebWorkspace.Director);
        using var directorCard = await director.GetAsync($"/clients/{vector}");
        Assert.That(directorCard.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await director.GetStringAsync("/clients?who=all"), Does.Contain("Вектор"));
        var sidorov = await director.GetStringAsync("/clients?who=all&manager=" + Uri.EscapeDataString("Сидоров Сидор"));
        Assert.That(sidorov, Does.Contain("Вектор").And.Not.Contain("Ромашка"), "the list of one manager's clients");
    }
}

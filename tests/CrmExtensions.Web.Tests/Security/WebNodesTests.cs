using System.Net;
using CrmExtensions.Testing;

namespace CrmExtensions.Web.Tests.Security;

/// <summary>Two <c>crmx serve</c> on one PostgreSQL store behind any proxy: a user signed in on one is signed in on the other.</summary>
[TestFixture]
[NonParallelizable]
public sealed class WebNodesTests
{
    [Test]
    public async Task TwoNodesOnOnePostgresStore_ShareSignInAndFormTokens()
    {
        using var database = TestDatabase.Create(DatabaseProvider.Postgres);
        await using var first = await WebWorkspace.StartAsync(database.ConnectionString);
        var (secondApp, secondUrl) = await first.StartNodeAsync();
        await using var second = secondApp;
        Assert.That(secondUrl, Is.Not.EqualTo(first.BaseUrl));

        // One browser: the proxy sends its requests to either node; cookies for 127.0.0.1 go to both ports.
        var cookies = new CookieContainer();
        using var onFirst = await first.SignedInClientAsync(WebWorkspace.Manager, first.BaseUrl, cookies);
        using var onSecond = first.Client(secondUrl, cookies);
        using (var page = await onSecond.GetAsync("/"))
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the second node reads the first node's sign-in cookie");
            Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("My day"));
        }

        // A form served by the first node is accepted by the second.
        var client = first.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        var token = await WebWorkspace.AntiforgeryTokenAsync(onFirst, $"/clients/{client}");
        using var logged = await onSecond.PostAsync($"/clients/{client}?handler=Log", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Kind"] = "note", ["Form.Subject"] = "Записано через второй узел", ["__af"] = token,
        }));
        Assert.That(logged.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(first.Scalar<long>("SELECT COUNT(*) FROM activities WHERE subject = 'Записано через второй узел'"), Is.EqualTo(1));

        // Signing out on the second node ends the session: the first node sends the browser to sign in.
        var signOut = await WebWorkspace.AntiforgeryTokenAsync(onSecond, "/");
        using (await onSecond.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = signOut })))
        {
        }

        using var after = await onFirst.GetAsync("/");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        await second.StopAsync();
    }
}

using System.Net;
using CrmExtensions.Application.Users;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Web.Tests.Security;

/// <summary>Sign-in is required everywhere it should be, forms carry their token, ledger text stays text, lockout holds.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SecurityTests
{
    private WebWorkspace _web = null!;

    /// <summary>Routes anyone may open: the sign-in page, the unsubscribe page and its redirect, the error page, the health check.</summary>
    private static readonly string[] Anonymous = ["/login", "/unsubscribe", "/u/{token}", "/error", "/healthz"];

    [OneTimeSetUp]
    public async Task Start() => _web = await WebWorkspace.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _web.DisposeAsync();

    /// <summary>Every route the app serves, from its endpoint list: a page added tomorrow is checked too.</summary>
    private List<string> Routes() => _web.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToList();

    private static string Concrete(string route) => route.Replace("{id:long}", "1").Replace("{token}", "x");

    [Test]
    public async Task EveryRoute_Anonymous_RedirectsToLogin()
    {
        var routes = Routes();
        Assert.That(routes, Does.Contain("/").And.Contain("/clients").And.Contain("/clients/{id:long}").And.Contain("/login"), "the endpoint list was read");
        using var client = _web.Client();
        foreach (var route in routes.Where(r => !Anonymous.Contains(r)))
        {
            using var response = await client.GetAsync(Concrete(route));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), route);
            Assert.That(response.Headers.Location!.ToString(), Does.Contain("/login?ReturnUrl="), route);
        }
    }

    [Test]
    public async Task EveryPage_CarriesTheSecurityHeaders()
    {
        using var client = await _web.SignedInClientAsync(WebWorkspace.Manager);
        foreach (var path in new[] { "/", "/clients", "/login" })
        {
            using var response = await client.GetAsync(path);
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe-inline"), path);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), path);
        }
    }

    [Test]
    public async Task EveryPostRoute_WithoutAntiforgeryToken_IsRefusedAndChangesNothing()
    {
        using var client = await _web.SignedInClientAsync(WebWorkspace.Manager);
        var client1 = _web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        var before = _web.Scalar<long>("SELECT COUNT(*) FROM activities");
        var posts = new[] { "/logout", "/?handler=Close", "/?handler=Snooze", $"/clients/{client1}?handler=Log", $"/clients/{client1}?handler=Deal", "/deals?handler=Move", "/login" };
        foreach (var path in posts)
        {
            using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["key"] = "x", ["status"] = "done", ["Form.Kind"] = "call", ["Form.Subject"] = "forged", ["userName"] = WebWorkspace.Manager, ["password"] = WebWorkspace.Password,
                ["NewDeal.Title"] = "forged", ["NewDeal.Pipeline"] = "sales", ["deal"] = "1", ["to"] = "offer",
            }));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), path);
        }

        Assert.That(_web.Scalar<long>("SELECT COUNT(*) FROM activities"), Is.EqualTo(before));
        using var still = await client.GetAsync("/");
        Assert.That(still.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the forged sign-out did not sign out");
    }

    [Test]
    public async Task ScriptInACounterpartyName_IsShownAsTextOnEveryPage()
    {
        using var client = await _web.SignedInClientAsync(WebWorkspace.Director);
        var id = _web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '3'");
        foreach (var path in new[] { "/clients?who=all", "/clients?who=all&q=script", $"/clients/{id}", $"/clients/{id}/links", "/?who=all" })
        {
            var html = await client.GetStringAsync(path);
            Assert.That(html, Does.Not.Contain("<script>alert(1)</script>"), path);
            if (!path.StartsWith("/?", StringComparison.Ordinal))
            {
                Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"), path);
            }
        }
    }

    [Test]
    public async Task RepeatedWrongPasswords_LockTheUserOut_EvenForTheRightPassword()
    {
        var users = _web.Services.GetRequiredService<UserService>();
        await users.AddAsync("locky", "manager", null, WebWorkspace.Password, CancellationToken.None);
        using var client = _web.Client();
        for (var i = 0; i < 3; i++)
        {
            var token = await WebWorkspace.AntiforgeryTokenAsync(client, "/login");
            using var wrong = await client.PostAsync("/login", Form(("userName", "locky"), ("password", "wrong-password-" + i), ("__af", token)));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        var last = await WebWorkspace.AntiforgeryTokenAsync(client, "/login");
        using var right = await client.PostAsync("/login", Form(("userName", "locky"), ("password", WebWorkspace.Password), ("__af", last)));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await right.Content.ReadAsStringAsync(), Does.Contain("locked out"));
        await users.ResetPasswordAsync("locky", WebWorkspace.Password, CancellationToken.None);
        var again = await WebWorkspace.AntiforgeryTokenAsync(client, "/login");
        using var after = await client.PostAsync("/login", Form(("userName", "locky"), ("password", WebWorkspace.Password), ("__af", again)));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "a reset clears the lockout");
    }

    [Test]
    public async Task DisablingAUser_EndsTheirSession()
    {
        var users = _web.Services.GetRequiredService<UserService>();
        await users.AddAsync("leaver", "manager", null, WebWorkspace.Password, CancellationToken.None);
        using var client = await _web.SignedInClientAsync("leaver");
        using (var before = await client.GetAsync("/"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await users.DisableAsync("leaver", CancellationToken.None);
        using var after = await client.GetAsync("/");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task DisablingAUser_OnOneNode_RefusesTheirNextRequestOnEitherNode()
    {
        // Two nodes on one store: nothing a node keeps in memory may let a disabled user's cookie through on the other.
        var (secondApp, secondUrl) = await _web.StartNodeAsync();
        await using var second = secondApp;
        var users = _web.Services.GetRequiredService<UserService>();
        await users.AddAsync("mover", "manager", null, WebWorkspace.Password, CancellationToken.None);
        // One sign-in cookie in two browsers, so that neither node's refusal (which deletes the cookie) answers for the other.
        var cookies = new CookieContainer();
        using var onFirst = await _web.SignedInClientAsync("mover", _web.BaseUrl, cookies);
        var copy = new CookieContainer();
        copy.Add(cookies.GetAllCookies());
        using var onSecond = _web.Client(secondUrl, copy);
        foreach (var client in new[] { onFirst, onSecond })
        {
            using var before = await client.GetAsync("/clients");
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await second.Services.GetRequiredService<UserService>().DisableAsync("mover", CancellationToken.None);
        foreach (var client in new[] { onFirst, onSecond })
        {
            using var after = await client.GetAsync("/clients");
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), client.BaseAddress!.ToString());
        }

        await second.StopAsync();
    }

    [Test]
    public async Task ForgedUnsubscribeToken_IsRefusedAndChangesNothing()
    {
        using var client = _web.Client();
        var before = _web.Scalar<long>("SELECT COUNT(*) FROM mail_suppressions");
        foreach (var token in new[] { "forged", "dTEKYUBiLmV4YW1wbGUKMQoxNzAwMDAwMDAw.AAAA", "" })
        {
            using var get = await client.GetAsync("/unsubscribe?t=" + Uri.EscapeDataString(token));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), token);
            using var post = await client.PostAsync("/unsubscribe?t=" + Uri.EscapeDataString(token), Form(("List-Unsubscribe", "One-Click")));
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), token);
            Assert.That(await post.Content.ReadAsStringAsync(), Does.Contain("not valid"));
        }

        Assert.That(_web.Scalar<long>("SELECT COUNT(*) FROM mail_suppressions"), Is.EqualTo(before));
    }

    [Test]
    public async Task GenuineUnsubscribeLink_OneClickPost_WorksWithoutSignIn()
    {
        var links = new Mail.Consent.UnsubscribeLinks("https://crm.example.com", WebWorkspace.UnsubscribeSecret, TimeProvider.System);
        var link = links.Link("one-click@example.com", null);
        var path = link["https://crm.example.com".Length..];
        using var client = _web.Client();
        using var get = await client.GetAsync(path);
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_web.Scalar<long>("SELECT COUNT(*) FROM mail_suppressions WHERE address = 'one-click@example.com'"), Is.Zero, "GET changes nothing");
        using var post = await client.PostAsync(path, Form(("List-Unsubscribe", "One-Click")));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_web.Scalar<long>("SELECT COUNT(*) FROM mail_suppressions WHERE address = 'one-click@example.com'"), Is.EqualTo(1));
    }

    [Test]
    public async Task LoginReturnUrl_ToAnotherSite_IsIgnored()
    {
        using var client = _web.Client();
        var token = await WebWorkspace.AntiforgeryTokenAsync(client, "/login?returnUrl=https://evil.example/");
        using var response = await client.PostAsync("/login", Form(("userName", WebWorkspace.Manager), ("password", WebWorkspace.Password),
            ("returnUrl", "https://evil.example/"), ("__af", token)));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo("/"));
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}

using System.Net;

namespace CrmExtensions.Web.Tests.Security;

/// <summary>Duplicate review is for directors and admins: a manager gets 403 on its pages and its decisions, and no link to it.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ReviewAccessTests
{
    [Test]
    public async Task Manager_IsForbiddenTheReviewPagesAndDecisions_DirectorIsNot()
    {
        await using var web = await WebWorkspace.StartAsync();
        await DuplicatePair.AddAsync(web);
        using var manager = await web.SignedInClientAsync(WebWorkspace.Manager);
        using var director = await web.SignedInClientAsync(WebWorkspace.Director);

        foreach (var path in new[] { "/review", "/review?at=0", "/review/decisions" })
        {
            using var page = await manager.GetAsync(path);
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
        }

        Assert.That(await manager.GetStringAsync("/"), Does.Not.Contain("href=\"/review\""), "no Review in a manager's menu");
        Assert.That(await director.GetStringAsync("/"), Does.Contain("href=\"/review\""), "Review in a director's menu");

        // A manager's POST with a valid form token of their own is refused as well, and records nothing.
        using var decide = await manager.PostAsync("/review?handler=Decide", Form(await WebWorkspace.AntiforgeryTokenAsync(manager, "/clients")));
        Assert.That(decide.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var undo = await manager.PostAsync("/review/decisions?handler=Undo", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = "1", ["__af"] = await WebWorkspace.AntiforgeryTokenAsync(manager, "/clients"),
        }));
        Assert.That(undo.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(web.Scalar<long>("SELECT COUNT(*) FROM unification_decisions"), Is.Zero);

        // The same form from a director is a decision; without its token it is not.
        using var forged = await director.PostAsync("/review?handler=Decide", Form(""));
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var decided = await director.PostAsync("/review?handler=Decide", Form(await WebWorkspace.AntiforgeryTokenAsync(director, "/review")));
        Assert.That(decided.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(web.Scalar<long>("SELECT COUNT(*) FROM unification_decisions"), Is.EqualTo(1));
    }

    private static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string>
    {
        ["first"] = DuplicatePair.First, ["second"] = DuplicatePair.Second, ["decision"] = "never-link", ["at"] = "0", ["__af"] = token,
    });
}

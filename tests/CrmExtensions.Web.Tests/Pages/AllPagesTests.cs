using System.Net;
using System.Text.RegularExpressions;
using CrmExtensions.Application.Campaigns;
using CrmExtensions.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>Issue 14, item 6: every page of the workspace answers on a SQLite store and on a PostgreSQL one.</summary>
[TestFixture]
[NonParallelizable]
public sealed partial class AllPagesTests
{
    [TestCaseSource(typeof(TestDatabases), nameof(TestDatabases.All))]
    public async Task EveryPage_Answers_ForADirector(DatabaseProvider provider)
    {
        using var database = provider == DatabaseProvider.Postgres ? TestDatabase.Create(provider) : null;
        await using var web = await WebWorkspace.StartAsync(database?.ConnectionString, plugins: WebWorkspace.SalesPlugins);
        TestFiles.InstallTestPlugin("Panels", Path.Combine(web.Folder, "plugins"));
        web.Services.GetRequiredService<CampaignService>().Install(CampaignsTests.SamplePack);
        var romashka = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        using var director = await web.SignedInClientAsync(WebWorkspace.Director);

        string[] pages =
        [
            "/", "/?who=all", "/clients?who=all", "/clients?who=all&q=%D1%80%D0%BE%D0%BC", $"/clients/{romashka}", $"/clients/{romashka}/links",
            "/deals", $"/deals?client={romashka}", "/review", "/review/decisions",
            "/reports", "/reports/pareto", "/reports/aging", "/reports/managers", "/reports/dynamics", "/reports/campaign", "/reports/pareto?format=csv",
            "/campaigns", "/campaigns/statement", $"/campaigns/statement?client={romashka}", "/campaigns/statement?dry=true",
            "/admin/plugins", "/plugins/Test.Panels/summary",
        ];
        var failed = new List<string>();
        var postForms = 0;
        foreach (var path in pages)
        {
            using var response = await director.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failed.Add($"{path}: {(int)response.StatusCode}");
            }

            // The pages write their forms as plain markup (no form tag helper): every POST form carries its token itself.
            foreach (Match form in PostForm().Matches(await response.Content.ReadAsStringAsync()))
            {
                postForms++;
                if (!form.Value.Contains("name=\"__af\"", StringComparison.Ordinal))
                {
                    failed.Add($"{path}: a POST form without its antiforgery token: {form.Value[..Math.Min(120, form.Value.Length)]}");
                }
            }
        }

        Assert.That(failed, Is.Empty);
        Assert.That(postForms, Is.GreaterThan(pages.Length), "the sign-out form of every page, and the pages' own");
        var card = await director.GetStringAsync($"/clients/{romashka}");
        Assert.That(card, Does.Contain("<p>Client " + romashka + ": &lt;b&gt;bold&lt;/b&gt; &amp; co</p>"), "the test plugin's panel, escaped");
        Assert.That(card, Does.Contain("plugin &#x27;Test.Panels&#x27;: client panel ThrowingPanel threw InvalidOperationException: the warehouse system did not answer")
            .Or.Contain("plugin 'Test.Panels': client panel ThrowingPanel threw InvalidOperationException: the warehouse system did not answer"), "a failing panel is one line");
        Assert.That(await director.GetStringAsync("/plugins/Test.Panels/summary"), Does.Contain("<ol><li>один</li><li>two</li></ol>"));
        using var missing = await director.GetAsync("/plugins/Test.Panels/nowhere");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [GeneratedRegex(@"<form\b[^>]*\bmethod=""post""[^>]*>.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex PostForm();
}

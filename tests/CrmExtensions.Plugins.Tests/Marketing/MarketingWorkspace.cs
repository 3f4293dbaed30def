using System.Text.Json.Nodes;
using CrmExtensions.Host.Commands;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Plugins.Tests.Marketing;

/// <summary>A <see cref="SampleWorkspace"/> set up for marketing mail (signed unsubscribe links), with crmx run at a chosen day.</summary>
internal static class MarketingWorkspace
{
    public static readonly string StatementPack = Path.Combine(TestEnvironment.RepoRoot, "samples", "campaigns", "statement");

    /// <summary>Adds the unsubscribe settings marketing mail needs to the workspace's crmx.json.</summary>
    public static void EnableMarketingMail(SampleWorkspace workspace)
    {
        var file = Path.Combine(workspace.Path, "crmx.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json["mail"] = new JsonObject
        {
            ["from"] = "crm@example.com",
            ["unsubscribe"] = new JsonObject { ["baseUrl"] = "https://crm.example.com", ["secret"] = "a-test-secret-of-enough-length-0123" },
        };
        File.WriteAllText(file, json.ToJsonString());
    }

    /// <summary>Runs crmx in the workspace with the clock at noon of <paramref name="day"/>.</summary>
    public static (int Code, string Out, string Error) Run(SampleWorkspace workspace, DateOnly day, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CrmxApp.RunAsync(args, new CommandContext
        {
            Out = output, Error = error, WorkingDirectory = workspace.Path, Time = clock, Environment = environment ?? new Dictionary<string, string>(),
        }).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs crmx and asserts it succeeded; returns its output.</summary>
    public static string Ok(SampleWorkspace workspace, DateOnly day, params string[] args)
    {
        var (code, output, error) = Run(workspace, day, null, args);
        Assert.That(code, Is.Zero, $"crmx {string.Join(' ', args)}: {error}{output}");
        return output;
    }

    /// <summary>The recorded group of every client of a campaign.</summary>
    public static Dictionary<long, string> Groups(SampleWorkspace workspace, string campaign)
    {
        using var connection = workspace.Store.Open();
        return connection.Query<(long ClientId, string GroupName)>("SELECT client_id AS ClientId, group_name AS GroupName FROM campaign_groups WHERE campaign = @campaign",
            new { campaign }).ToDictionary(r => r.ClientId, r => r.GroupName);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Host.Tests.Clients;

/// <summary>
/// Client tags in the CLI (issue 18, item 4): <c>clients show</c> lists them with their plugins, <c>clients list --tag</c>
/// filters by them, and the run summaries count each plugin's tag writes — on every store provider.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ClientTagsTests(DatabaseProvider provider)
{
    private const string Lifecycle = "CrmExtensions.Lifecycle";

    private SyncedDemo _demo = null!;

    [SetUp]
    public void BuildTheSampleAndItsStore() => _demo = SyncedDemo.Create(provider, counterparties: 300, seed: 5);

    [TearDown]
    public void Clean() => _demo?.Dispose();

    private CrmxResult Succeed(params string[] args) => _demo.Succeed(args);

    private System.Data.Common.DbConnection OpenStore() => _demo.OpenStore();

    /// <summary>Client ids as <c>clients list</c> prints them, in order.</summary>
    private static List<long> ListedClients(CrmxResult list) =>
        list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => long.Parse(l.AsSpan(0, 8).Trim(), CultureInfo.InvariantCulture)).ToList();

    [Test]
    public void RemindersRun_FirstEvaluation_CountsEveryTagTheLifecyclePluginWrote()
    {
        var run = Succeed("reminders", "run");

        using var connection = OpenStore();
        var written = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM client_tags WHERE plugin_id = @Lifecycle", new { Lifecycle });
        Assert.That(written, Is.Positive, "the Lifecycle plugin tags every client");
        var count = written.ToString("N0", CultureInfo.InvariantCulture);
        Assert.That(run.Out, Does.Match($@"(?m)^  {Regex.Escape(Lifecycle)}: .* mails queued, {count} tag writes \("), run.Out);
        Assert.That(run.Out, Does.Match($@"(?m)^reminders for .*, {count} tag writes$"), "the total line counts them too");
    }

    [Test]
    public void RunOnce_TagsRemovedSinceTheLastEvaluation_CycleLineCountsTheRewritesOfThePlugin()
    {
        Succeed("reminders", "run");
        using (var connection = OpenStore())
        {
            var clients = connection.Query<long>("SELECT client_id FROM client_tags WHERE name = 'lifecycle.stage' ORDER BY client_id").Take(3).ToList();
            Assert.That(clients, Has.Count.EqualTo(3));
            connection.Execute("DELETE FROM client_tags WHERE name = 'lifecycle.stage' AND client_id = @client", clients.Select(client => new { client }));
        }

        var run = Succeed("run", "--once");

        Assert.That(run.Out + run.Error, Does.Contain($"tag writes: {Lifecycle} 3"), "the three stages written again, by the plugin that wrote them");
    }

    [Test]
    public void Show_TaggedClient_ListsEveryTagWithThePluginThatWroteIt()
    {
        Succeed("reminders", "run");
        long client;
        string stage;
        using (var connection = OpenStore())
        {
            (client, stage) = connection.QueryFirst<(long, string)>("SELECT client_id, value FROM client_tags WHERE name = 'lifecycle.stage' ORDER BY client_id");
            connection.Execute("INSERT INTO client_tags (client_id, name, value, plugin_id, updated_at) VALUES (@client, 'vip', 'gold', 'Test.Tagger', '2026-01-10T10:00:00.000Z')",
                new { client });
        }

        var show = Succeed("clients", "show", client.ToString(CultureInfo.InvariantCulture));

        Assert.That(show.Out, Does.Contain("  Tags ("));
        Assert.That(show.Out, Does.Contain($"    lifecycle.stage={stage}  (by {Lifecycle})"));
        Assert.That(show.Out, Does.Contain("    vip=gold  (by Test.Tagger)"));
    }

    [Test]
    public void List_TagFilter_ListsOnlyTheClientsCarryingTheTagOrTheTagWithThatValue()
    {
        Succeed("reminders", "run");
        List<long> staged;
        List<long> vip;
        string stage;
        using (var connection = OpenStore())
        {
            stage = connection.QueryFirst<string>("SELECT value FROM client_tags WHERE name = 'lifecycle.stage' GROUP BY value ORDER BY COUNT(*), value");
            staged = connection.Query<long>("SELECT client_id FROM client_tags WHERE name = 'lifecycle.stage' AND value = @stage ORDER BY client_id", new { stage }).ToList();
            vip = connection.Query<long>("SELECT client_id FROM clients WHERE retired_at IS NULL ORDER BY client_id").Take(2).ToList();
            connection.Execute("INSERT INTO client_tags (client_id, name, value, plugin_id, updated_at) VALUES (@client, 'vip', @value, 'Test.Tagger', '2026-01-10T10:00:00.000Z')",
                vip.Select((client, i) => new { client, value = i == 0 ? "gold" : "silver" }));
        }

        var byName = ListedClients(Succeed("clients", "list", "--tag", "vip", "--top", "1000"));
        var byValue = ListedClients(Succeed("clients", "list", "--tag", "vip=gold", "--top", "1000"));
        var none = ListedClients(Succeed("clients", "list", "--tag", "vip=platinum", "--top", "1000"));
        var byStage = ListedClients(Succeed("clients", "list", "--tag", $"lifecycle.stage={stage}", "--top", "1000"));
        var all = ListedClients(Succeed("clients", "list", "--top", "1000"));

        Assert.That(byName, Is.EquivalentTo(vip));
        Assert.That(byValue, Is.EqualTo(new[] { vip[0] }));
        Assert.That(none, Is.Empty);
        Assert.That(byStage, Is.EquivalentTo(staged));
        Assert.That(all, Has.Count.GreaterThan(byStage.Count), "without --tag every client is listed");
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary>Scheduled jobs (SDK 1.2) through real <c>crmx</c> processes and the real loader, with the Test.Jobs plugin.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class JobsCommandTests(DatabaseProvider provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    [Test]
    public async Task Run_TwoHostsWithoutLeasesOnOneStore_RunEachSlotOfAJobOnce()
    {
        using var root = new TempDirectory();
        using var database = TestDatabase.Create(provider);
        var (workspace, log) = Create(root, database);
        var noLeases = new Dictionary<string, string> { ["CRMX__run__leases"] = "false" };

        // Two hosts cycling every second for a dozen cycles each, both trying every slot of a job due every three seconds.
        using var first = workspace.Start(noLeases, "run", "--interval", "1s", "--cycles", "12");
        using var second = workspace.Start(noLeases, "run", "--interval", "1s", "--cycles", "12");
        var results = await Task.WhenAll(FinishAsync(first), FinishAsync(second));

        Assert.That(results.Select(r => r.ExitCode), Has.All.Zero, string.Join("\n", results.Select(r => r.Out + r.Error)));
        var runs = File.ReadAllLines(log).Select(l => l.Split(' ')).Select(p => (Slot: p[0], Process: p[1])).ToList();
        Assert.That(runs.GroupBy(r => r.Slot).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "a slot executed twice");
        Assert.That(runs.Select(r => r.Slot).Distinct().Count(), Is.GreaterThanOrEqualTo(3), "the job ran in several slots");
        using var connection = Store(database).Open();
        var done = connection.Query<string>("SELECT slot FROM job_runs WHERE plugin_id = 'Test.Jobs' AND job_name = 'count' AND state = 'done'")
            .Select(s => s[..19] + "Z").ToList();
        Assert.That(done, Is.EquivalentTo(runs.Select(r => r.Slot)), "every slot run is done once in the store, and no other");
        var recorded = connection.Query<(string Key, string Value)>("SELECT data_key, value FROM plugin_data WHERE plugin_id = 'Test.Jobs' AND data_key LIKE 'slot:%'")
            .ToDictionary(r => r.Key["slot:".Length..], r => r.Value);
        Assert.That(recorded, Is.EquivalentTo(runs.ToDictionary(r => r.Slot, r => r.Process)), "each slot's writes committed once, by the host that ran it");
        Assert.That(runs.Select(r => r.Process).Distinct().Count(), Is.EqualTo(2).Or.EqualTo(1), "only the two hosts ran it");
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM job_runs WHERE plugin_id = 'Test.Jobs' AND job_name = 'morning' AND state = 'done'"),
            Is.EqualTo(1), "the daily job ran its one slot once");
    }

    [Test]
    public void RunAndList_AJobThatThrows_DropsItsWritesTriesThreeTimesAndSaysWhy()
    {
        using var root = new TempDirectory();
        using var database = TestDatabase.Create(provider);
        var (workspace, _) = Create(root, database, fail: true);

        var results = Enumerable.Range(0, 4).Select(_ => workspace.Run("jobs", "run")).ToList();

        Assert.That(results[0].ExitCode, Is.EqualTo(1), results[0].Out + results[0].Error);
        Assert.That(results[0].Out, Does.Contain("Test.Jobs/failing: slot ").And.Contain("FAILED"));
        Assert.That(results[0].Out, Does.Contain("Test.Jobs/morning: slot ").And.Contain(" done"));
        Assert.That(results[0].Error, Does.Contain("problem: plugin 'Test.Jobs': job failing threw InvalidOperationException: the failing job failed as asked"));
        Assert.That(results[2].Out, Does.Contain("Test.Jobs/failing").And.Contain("FAILED"), "the third attempt");
        Assert.That(results[3].Out, Does.Not.Contain("Test.Jobs/failing"), "three attempts per slot, then it is left failed");
        Assert.That(results[3].Out, Does.Not.Contain("Test.Jobs/morning"), "the daily slot is done");
        using var connection = Store(database).Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM plugin_data WHERE plugin_id = 'Test.Jobs' AND data_key = 'failing-wrote'"), Is.Zero,
            "a failed job's writes are dropped");
        var list = workspace.Run("jobs", "list");
        Assert.That(list.ExitCode, Is.Zero, list.Error);
        Assert.That(list.Out, Does.Contain("3 jobs"));
        Assert.That(list.Out, Does.Match(@"Test\.Jobs/failing  every 60 min  due slot \S+  slot \S+: failed after 3 attempts — plugin 'Test\.Jobs': job failing threw"));
        Assert.That(list.Out, Does.Match(@"Test\.Jobs/morning  daily at 06:00  due slot \S+T03:00:00Z  slot \S+: done"));
        Assert.That(workspace.Run("plugins", "list").Out, Does.Contain("jobs: count (every 3 s), morning (daily at 06:00), failing (every 60 min)"));
    }

    private static (ReminderWorkspace Workspace, string Log) Create(TempDirectory root, TestDatabase database, bool fail = false)
    {
        var workspace = ReminderWorkspace.Create(root, database, counterparties: 100);
        var plugins = Path.Combine(workspace.Folder, "plugins");
        Directory.Delete(Path.Combine(plugins, "Reminders"), recursive: true);
        ReminderWorkspace.InstallPlugin(plugins, "Jobs");
        var log = Path.Combine(root.Path, "job-runs.log");
        var path = Path.Combine(workspace.Folder, "crmx.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var section = config["plugins"]!.AsObject();
        section["settings"] = new JsonObject { ["Test.Jobs"] = new JsonObject { ["log"] = log, ["fail"] = fail ? "yes" : "no" } };
        File.WriteAllText(path, config.ToJsonString());
        return (workspace, log);
    }

    private static CrmStore Store(TestDatabase database) => TestStores.Open(database);

    private static async Task<(int ExitCode, string Out, string Error)> FinishAsync(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return (process.ExitCode, await output, await error);
    }
}

using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary>The whole path — sync, unify, decisions, export — on every store provider, not only the SQLite default.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class StoreProvidersTests(DatabaseProvider provider)
{
    [Test]
    public void SyncUnifyDecideExport_OnThisStore_WorksAndKeepsIds()
    {
        using var folder = new TempDirectory();
        using var store = TestDatabase.Create(provider);
        Assert.That(Crmx.Run(folder.Path, "demo", "--counterparties", "300", "--seed", "5").ExitCode, Is.Zero);
        var demo = Path.Combine(folder.Path, "crmx-demo");
        var environment = new Dictionary<string, string>
        {
            ["CRMX__store__provider"] = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
            ["CRMX__store__connectionString"] = store.ConnectionString,
        };

        var sync = Crmx.Run(demo, environment, "sync");
        var unify = Crmx.Run(demo, environment, "unify");
        var first = Crmx.Run(demo, environment, "clients", "export");
        var rows = first.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var singles = rows.GroupBy(r => r[0]).Where(g => g.Count() == 1).Select(g => g.Single()[1] + ":" + g.Single()[2]).Take(2).ToList();
        var merge = Crmx.Run(demo, environment, "clients", "merge", singles[0], singles[1]);
        var again = Crmx.Run(demo, environment, "unify");
        var second = Crmx.Run(demo, environment, "clients", "export");

        Assert.That(sync.ExitCode, Is.Zero, sync.Error);
        Assert.That(unify.ExitCode, Is.Zero, unify.Error);
        Assert.That(unify.Out, Does.StartWith("300 ledger counterparties → "));
        Assert.That(rows, Has.Count.EqualTo(300));
        Assert.That(merge.ExitCode, Is.Zero, merge.Error);
        Assert.That(again.Out, Does.Contain("0 clients created, 0 merged, 0 split; 0 memberships written"));
        var after = second.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToDictionary(r => r[1] + ":" + r[2], r => r[0]);
        Assert.That(after[singles[0]], Is.EqualTo(after[singles[1]]));
        Assert.That(Crmx.Run(demo, environment, "clients", "show", after[singles[0]]).ExitCode, Is.Zero);
    }
}

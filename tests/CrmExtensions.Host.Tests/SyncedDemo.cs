using System.Data.Common;
using System.Globalization;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests;

/// <summary>The demo's sample ledgers (and its shipped plugins) synced and unified into a test store of one provider.</summary>
internal sealed class SyncedDemo : IDisposable
{
    private readonly TempDirectory _folder;
    private readonly TestDatabase _store;

    private SyncedDemo(TempDirectory folder, TestDatabase store, string demo, Dictionary<string, string> environment)
    {
        _folder = folder;
        _store = store;
        Folder = demo;
        Environment = environment;
    }

    /// <summary>The workspace folder (crmx.json, ledgers, plugins).</summary>
    public string Folder { get; }

    /// <summary>The <c>CRMX__…</c> overrides that point crmx at the test store.</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>Builds the demo with <paramref name="counterparties"/> and <paramref name="seed"/>, then runs <c>sync</c> and <c>unify</c> on a new store.</summary>
    public static SyncedDemo Create(DatabaseProvider provider, int counterparties, int seed)
    {
        var folder = new TempDirectory();
        var store = TestDatabase.Create(provider);
        var demo = Crmx.Run(folder.Path, "demo", "--counterparties", counterparties.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture));
        Assert.That(demo.ExitCode, Is.Zero, demo.Error);
        var synced = new SyncedDemo(folder, store, Path.Combine(folder.Path, "crmx-demo"), new Dictionary<string, string>
        {
            ["CRMX__store__provider"] = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
            ["CRMX__store__connectionString"] = store.ConnectionString,
        });
        synced.Succeed("sync");
        synced.Succeed("unify");
        return synced;
    }

    /// <summary>Runs crmx in the workspace on the test store and asserts it succeeded.</summary>
    public CrmxResult Succeed(params string[] args)
    {
        var result = Crmx.Run(Folder, Environment, args);
        Assert.That(result.ExitCode, Is.Zero, $"crmx {string.Join(' ', args)}: {result.Error}");
        return result;
    }

    /// <summary>Opens a connection to the test store.</summary>
    public DbConnection OpenStore() => Store().Open();

    /// <summary>The test store, seen with the system clock.</summary>
    public CrmExtensions.Store.CrmStore Store() =>
        new(_store.Provider == DatabaseProvider.Postgres ? CrmExtensions.Store.Providers.DatabaseProvider.PostgreSql
            : CrmExtensions.Store.Providers.DatabaseProvider.Sqlite, _store.ConnectionString, TimeProvider.System);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }
}

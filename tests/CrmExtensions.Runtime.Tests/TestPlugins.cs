using System.Data.Common;
using System.Reflection;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Runtime.Tests;

/// <summary>The real test plugins under tests/TestPlugins, built by this project's references, copied into plugin folders.</summary>
internal static class TestPlugins
{
    private static string Configuration =>
        typeof(TestPlugins).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Built(string name)
    {
        var path = Path.Combine(TestEnvironment.RepoRoot, "tests", "TestPlugins", "bin", Configuration, name);
        Assert.That(Directory.Exists(path), Is.True, $"test plugin {name} is not built at {path}; build tests/CrmExtensions.Runtime.Tests");
        return path;
    }

    /// <summary>Copies built plugins into <c>plugins/</c> of a fresh folder; a plugin may be copied under another folder name.</summary>
    public static string Install(TempDirectory root, params string[] names)
    {
        var plugins = Path.Combine(root.Path, "plugins");
        Directory.CreateDirectory(plugins);
        foreach (var entry in names)
        {
            var parts = entry.Split('=');
            var source = Built(parts[0]);
            TestFiles.CopyDirectory(source, Path.Combine(plugins, parts.Length > 1 ? parts[1] : parts[0]));
        }

        return plugins;
    }
}

/// <summary>A migrated store on a test database, with helpers to record events and read what plugins wrote.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly TestDatabase _database;

    public TestStore(DatabaseProvider provider, TimeProvider? time = null)
    {
        _database = TestDatabase.Create(provider);
        Store = new CrmStore(provider == DatabaseProvider.Postgres ? CrmExtensions.Store.Providers.DatabaseProvider.PostgreSql : CrmExtensions.Store.Providers.DatabaseProvider.Sqlite,
            _database.ConnectionString, time ?? TimeProvider.System);
        Store.Migrate();
    }

    public CrmStore Store { get; }

    public string ConnectionString => _database.ConnectionString;

    public void AddEvents(int count, string type = "counterparty.created", string ledger = "main")
    {
        using var connection = Store.Open();
        using var tx = connection.BeginTransaction();
        for (var i = 0; i < count; i++)
        {
            connection.Execute("INSERT INTO change_events (occurred_at, event_type, ledger, ledger_id, data) VALUES (@at, @type, @ledger, @id, NULL)",
                new { at = "2025-01-01T00:00:00.000Z", type, ledger, id = "C" + i }, tx);
        }

        tx.Commit();
    }

    public T Scalar<T>(string sql, object? parameters = null)
    {
        using var connection = Store.Open();
        return connection.ExecuteScalar<T>(sql, parameters)!;
    }

    public List<T> Query<T>(string sql, object? parameters = null)
    {
        using DbConnection connection = Store.Open();
        return connection.Query<T>(sql, parameters).ToList();
    }

    public void Dispose() => _database.Dispose();
}

using CrmExtensions.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Store.Tests;

/// <summary>The store's connections on SQLite.</summary>
public sealed class CrmStoreTests
{
    [Test]
    public void Open_ANativeConnectionThePoolHandsOutAgain_KeepsItsSettingsAndTheUnicodeLower()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "crm.db");
        // Pooled, as a workspace's store is (the tests' own databases are not).
        var store = new CrmStore(Store.Providers.DatabaseProvider.Sqlite, "Data Source=" + path, TimeProvider.System);
        store.Migrate();
        try
        {
            var handles = new List<SQLitePCL.sqlite3?>();
            for (var i = 0; i < 3; i++)
            {
                using var connection = store.Open();
                handles.Add(((SqliteConnection)connection).Handle);
                var settings = connection.QuerySingle<(long ForeignKeys, long CacheSize, long Synchronous, long TempStore)>(
                    "SELECT (SELECT foreign_keys FROM pragma_foreign_keys), (SELECT cache_size FROM pragma_cache_size), " +
                    "(SELECT synchronous FROM pragma_synchronous), (SELECT temp_store FROM pragma_temp_store)");
                Assert.That(settings, Is.EqualTo((1L, -65536L, 1L, 2L)), $"open {i + 1}");
                Assert.That(connection.ExecuteScalar<string>("SELECT lower('РОМАШКА')"), Is.EqualTo("ромашка"), $"open {i + 1}");
            }

            Assert.That(handles.Distinct().Count(), Is.EqualTo(1), "the pool handed out the same native connection each time");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }
}

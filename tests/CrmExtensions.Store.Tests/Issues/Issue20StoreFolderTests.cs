using CrmExtensions.Testing;

namespace CrmExtensions.Store.Tests.Issues;

/// <summary>Issue 20, item 7: a store path in a missing folder silently created a new, empty store.</summary>
public sealed class Issue20StoreFolderTests
{
    [Test]
    public void Constructor_SqliteStoreInAFolderThatDoesNotExist_RefusesNamingItAndCreatesNothing()
    {
        using var root = new TempDirectory();
        var missing = Path.Combine(root.Path, "typo");

        var ex = Assert.Throws<StoreException>(() => _ = new CrmStore(Providers.DatabaseProvider.Sqlite, $"Data Source={Path.Combine(missing, "crm.db")}", TimeProvider.System));

        Assert.That(ex!.Message, Does.Contain(missing).And.Contain("store:connectionString"));
        Assert.That(Directory.Exists(missing), Is.False);
    }

    [Test]
    public void Constructor_SqliteStoreNewInAnExistingFolder_IsCreatedOnMigrate()
    {
        using var root = new TempDirectory();
        var file = Path.Combine(root.Path, "crm.db");

        new CrmStore(Providers.DatabaseProvider.Sqlite, $"Data Source={file}", TimeProvider.System).Migrate();

        Assert.That(File.Exists(file), Is.True);
    }
}

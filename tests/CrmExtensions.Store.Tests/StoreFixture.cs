using CrmExtensions.Testing;

namespace CrmExtensions.Store.Tests;

/// <summary>A fresh migrated store for every test, on each provider the fixture is given.</summary>
public abstract class StoreFixture(DatabaseProvider provider)
{
    private TestDatabase _database = null!;

    protected CrmStore Store { get; private set; } = null!;

    [SetUp]
    public void CreateStore()
    {
        _database = TestDatabase.Create(provider);
        Store = TestStores.Create(_database);
        Store.Migrate();
    }

    [TearDown]
    public void DisposeStore() => _database?.Dispose();
}

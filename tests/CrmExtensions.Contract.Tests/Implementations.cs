using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Storage;
using CrmExtensions.Testing;

namespace CrmExtensions.Contract.Tests;

/// <summary>The contract on the test kit's <c>InMemoryCrm</c>.</summary>
public sealed class InMemoryCrmContractTests : CrmContractTests
{
    private InMemoryWorld _world = null!;

    private protected override ICrmFacts Facts => _world.Crm;

    private protected override ICrmReader Reader => _world.Crm;

    [TearDown]
    public void DisposeWorld() => _world.Dispose();

    private protected override void Begin() => _world = new InMemoryWorld();

    private protected override Task WriteAsync(Func<ICrmWriter, Task> write) => _world.WriteAsync(write);
}

/// <summary>The contract on the host's store-backed facts and reader, on every store provider.</summary>
/// <remarks>The ledgers are synced and unified once per fixture; tags are the only thing the tests write, so each test
/// starts by removing them.</remarks>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class StoreContractTests(DatabaseProvider provider) : CrmContractTests
{
    private StoreWorld _world = null!;

    private protected override ICrmFacts Facts => _world.Facts;

    private protected override ICrmReader Reader => _world.Reader;

    [OneTimeSetUp]
    public void CreateWorld() => _world = new StoreWorld(provider);

    [OneTimeTearDown]
    public void DisposeWorld() => _world?.Dispose();

    private protected override void Begin()
    {
        using var connection = _world.Store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM client_tags";
        command.ExecuteNonQuery();
    }

    private protected override Task WriteAsync(Func<ICrmWriter, Task> write) => _world.WriteAsync(write);
}

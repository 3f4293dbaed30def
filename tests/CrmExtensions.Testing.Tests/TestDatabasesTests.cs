namespace CrmExtensions.Testing.Tests;

public sealed class TestDatabasesTests
{
    [Test]
    public void All_Always_ListsEveryProviderOnce()
    {
        Assert.That(TestDatabases.All, Is.EquivalentTo(Enum.GetValues<DatabaseProvider>()));
    }
}

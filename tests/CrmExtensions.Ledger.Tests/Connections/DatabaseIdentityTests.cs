using CrmExtensions.Ledger.Connections;
using CrmExtensions.Store;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Ledger.Tests.Connections;

public sealed class DatabaseIdentityTests
{
    [TestCase(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Port=5432;Database=erp;Username=a", "Host=localhost;Database=erp;Username=b;Application Name=x")]
    [TestCase(DatabaseProvider.PostgreSql, "Host=db;Username=erp", "Host=DB;Database=erp;Username=crm")]
    [TestCase(DatabaseProvider.SqlServer, "Server=.;Database=Erp", "Data Source=tcp:localhost,1433;Initial Catalog=erp")]
    public void Key_SameDatabaseSpelledTwoWays_IsEqual(DatabaseProvider provider, string a, string b) =>
        Assert.That(DatabaseIdentity.Key(provider, a), Is.EqualTo(DatabaseIdentity.Key(provider, b)).And.Not.Null);

    [TestCase(DatabaseProvider.PostgreSql, "Host=db;Database=erp", "Host=db;Database=crm")]
    [TestCase(DatabaseProvider.PostgreSql, "Host=db;Port=5432;Database=erp", "Host=db;Port=5433;Database=erp")]
    [TestCase(DatabaseProvider.SqlServer, "Server=s1;Database=erp", "Server=s2;Database=erp")]
    public void Key_DifferentDatabases_Differ(DatabaseProvider provider, string a, string b) =>
        Assert.That(DatabaseIdentity.Key(provider, a), Is.Not.EqualTo(DatabaseIdentity.Key(provider, b)));

    [Test]
    public void RefuseLedgerAsStore_SqliteFileUri_IsRefusedNamingTheLedger()
    {
        using var ledger = new TestLedger("msk");

        Assert.That(() => DatabaseIdentity.RefuseLedgerAsStore(DatabaseProvider.Sqlite, $"Data Source=file://{ledger.Path}?cache=shared", [ledger.Options], ledger.Directory),
            Throws.InstanceOf<StoreException>().With.Message.Contains("is ledger 'msk'"));
        Assert.That(() => DatabaseIdentity.RefuseLedgerAsStore(DatabaseProvider.Sqlite, $"Data Source={ledger.Path}.crm", [ledger.Options], ledger.Directory),
            Throws.Nothing);
    }
}

using CrmExtensions.Store;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests;

/// <summary>The product's store over a test database, for a test that reads or prepares what <c>crmx</c> wrote there.</summary>
internal static class TestStores
{
    public static CrmStore Open(TestDatabase database) => new(
        database.Provider == DatabaseProvider.Postgres ? Store.Providers.DatabaseProvider.PostgreSql : Store.Providers.DatabaseProvider.Sqlite,
        database.ConnectionString, TimeProvider.System);
}

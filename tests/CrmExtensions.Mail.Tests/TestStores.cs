using CrmExtensions.Store;
using CrmExtensions.Testing;

namespace CrmExtensions.Mail.Tests;

internal static class TestStores
{
    public static CrmStore Create(TestDatabase database, TimeProvider? time = null) => new(
        database.Provider == DatabaseProvider.Postgres ? Store.Providers.DatabaseProvider.PostgreSql : Store.Providers.DatabaseProvider.Sqlite,
        database.ConnectionString, time ?? TimeProvider.System);
}

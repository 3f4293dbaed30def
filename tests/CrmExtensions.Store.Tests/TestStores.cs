using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests;

internal static class TestStores
{
    public static CrmStore Create(TestDatabase database, TimeProvider? time = null) => new(
        database.Provider == DatabaseProvider.Postgres ? Store.Providers.DatabaseProvider.PostgreSql : Store.Providers.DatabaseProvider.Sqlite,
        database.ConnectionString, time ?? TimeProvider.System);

    /// <summary>A table's indexes as the database keeps their text (SQLite's <c>sqlite_master</c>, PostgreSQL's
    /// <c>pg_indexes</c>), by name: what a bulk write sets aside and must make again as it was.</summary>
    public static List<string> Indexes(CrmStore store, string table)
    {
        using var c = store.Open();
        return c.Query<string>(store.Dialect.Provider == Store.Providers.DatabaseProvider.PostgreSql
            ? "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @table ORDER BY indexname"
            : "SELECT sql FROM sqlite_master WHERE tbl_name = @table AND sql IS NOT NULL AND type = 'index' ORDER BY name", new { table }).AsList();
    }
}

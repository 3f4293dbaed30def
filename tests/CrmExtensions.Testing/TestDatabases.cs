namespace CrmExtensions.Testing;

/// <summary>The providers a database test runs on, for <c>[TestFixtureSource]</c> and <c>[TestCaseSource]</c>.</summary>
/// <example><code>[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]</code></example>
public static class TestDatabases
{
    /// <summary>Gets every provider; a provider whose server is missing ignores (or, under CI, fails) its tests.</summary>
    public static IEnumerable<DatabaseProvider> All => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];
}

namespace CrmExtensions.Testing;

/// <summary>A database engine the tests run on.</summary>
public enum DatabaseProvider
{
    /// <summary>An SQLite file; always available.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server given by the environment variable <c>CRMX_TEST_POSTGRES</c>.</summary>
    Postgres,
}

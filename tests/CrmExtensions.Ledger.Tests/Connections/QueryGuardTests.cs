using CrmExtensions.Ledger.Connections;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Ledger.Tests.Connections;

public sealed class QueryGuardTests
{
    [TestCase("SELECT id AS ledger_id FROM t")]
    [TestCase("  select id from t;")]
    [TestCase("WITH x AS (SELECT 1 AS a) SELECT a FROM x")]
    [TestCase("SELECT 'a; DELETE FROM t' AS name FROM t")]
    [TestCase("SELECT \"update\" FROM \"insert log\" -- a comment; DROP TABLE t")]
    [TestCase("SELECT replace(name, '\"', '') AS name FROM t")]
    public void Check_SingleSelect_IsAccepted(string query)
    {
        Assert.That(QueryGuard.Check(DatabaseProvider.Sqlite, query), Is.Null);
        Assert.That(QueryGuard.Check(DatabaseProvider.PostgreSql, query), Is.Null);
    }

    [TestCase("DELETE FROM t", "must start with SELECT")]
    [TestCase("SELECT 1; DELETE FROM t", "exactly one SELECT")]
    [TestCase("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "contains DELETE")]
    [TestCase("SELECT * INTO copy FROM t", "contains INTO")]
    [TestCase("PRAGMA table_info(t)", "must start with SELECT")]
    public void Check_AnythingButARead_IsRefused(string query, string reason)
    {
        Assert.That(QueryGuard.Check(DatabaseProvider.Sqlite, query), Does.Contain(reason));
    }

    [TestCase("SELECT [Id] AS ledger_id, N'x' AS name FROM [dbo].[Counter Party] WITH (NOLOCK)")]
    [TestCase("WITH x AS (SELECT TOP (10) a FROM t ORDER BY a) SELECT a FROM x")]
    public void Check_TransactSqlSelect_IsAccepted(string query)
    {
        Assert.That(QueryGuard.Check(DatabaseProvider.SqlServer, query), Is.Null);
    }

    [TestCase("SELECT a INTO #t FROM t", "SELECT … INTO")]
    [TestCase("EXEC sp_who", "must be a SELECT")]
    [TestCase("SELECT 1; SELECT 2", "found 2 statements")]
    [TestCase("SELEC a FROM t", "does not parse as T-SQL at (1,")]
    public void Check_TransactSqlThatIsNotOneRead_IsRefused(string query, string reason)
    {
        Assert.That(QueryGuard.Check(DatabaseProvider.SqlServer, query), Does.Contain(reason));
    }
}

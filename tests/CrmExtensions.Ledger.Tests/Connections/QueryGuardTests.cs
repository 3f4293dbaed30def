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

    [TestCase("SELECT id AS ledger_id, name, $$'$$ AS city FROM cp; COMMIT; BEGIN READ WRITE; UPDATE cp SET name='PWNED'; COMMIT; -- '")]
    [TestCase("SELECT id AS ledger_id, name, $tag$'$tag$ AS city FROM cp; DELETE FROM cp; -- '")]
    [TestCase("SELECT id AS ledger_id, name, E'\\'' AS city FROM cp; DELETE FROM cp; -- '")]
    [TestCase("SELECT id AS ledger_id /* a /* nested */ ; */ FROM cp; DELETE FROM cp")]
    [TestCase("VALUES (1, 'x')")]
    public void Check_PostgresLiteralHidingASecondStatement_IsRefused(string query)
    {
        Assert.That(QueryGuard.Check(DatabaseProvider.PostgreSql, query), Is.Not.Null);
    }

    [TestCase("SELECT $$a;b$$ AS name, E'it\\'s; fine' AS city, $1 AS p, a$b AS c FROM t")]
    [TestCase("SELECT arr[1] AS name FROM t")]
    public void Check_PostgresDollarQuotesAndEscapes_AreAccepted(string query)
    {
        Assert.That(QueryGuard.Check(DatabaseProvider.PostgreSql, query), Is.Null);
    }

    [TestCase("SELECT N'a; DELETE FROM t' AS name, [x;y] AS city FROM t")]
    [TestCase("SELECT N'a'; DELETE FROM t")]
    public void Check_TransactSqlNationalStringsAndBrackets_AreParsed(string query)
    {
        var refused = query.Contains("'; DELETE", StringComparison.Ordinal);
        Assert.That(QueryGuard.Check(DatabaseProvider.SqlServer, query), refused ? Is.Not.Null : Is.Null);
    }

    [Test]
    public void Wrapped_TransactSqlWithCommonTableExpression_MovesTheWithClauseInFront()
    {
        var sql = Ledger.Reading.LedgerReader.Wrapped(DatabaseProvider.SqlServer, "WITH x AS (SELECT 1 AS a) SELECT a FROM x;");

        Assert.That(sql, Is.EqualTo("WITH x AS (SELECT 1 AS a)\nSELECT * FROM (\nSELECT a FROM x\n) AS q"));
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

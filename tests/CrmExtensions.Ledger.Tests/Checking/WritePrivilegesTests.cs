using System.Text.RegularExpressions;
using CrmExtensions.Ledger.Checking;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Testing;
using Npgsql;

namespace CrmExtensions.Ledger.Tests.Checking;

/// <summary>Issue 20: attach --check reports whether the ledger's login could write to the mapped tables.</summary>
public sealed partial class WritePrivilegesTests
{
    private const string Mapping = """
        { "counterparties": { "query": "SELECT c.id AS ledger_id, c.name, r.title AS region FROM cp AS c LEFT JOIN region AS r ON r.id = c.region" } }
        """;

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static LedgerDefinition Ledger(TempDirectory folder, string connectionString)
    {
        File.WriteAllText(Path.Combine(folder.Path, "erp.map.json"), Mapping);
        var problems = new List<LedgerProblem>();
        var ledgers = LedgerCatalog.Resolve([new LedgerOptions { Name = "erp", Provider = "postgres", ConnectionString = connectionString, Mapping = "erp.map.json" }],
            folder.Path, problems);
        Assert.That(problems, Is.Empty);
        return ledgers.Single();
    }

    /// <summary>The read-only role exactly as docs/mapping.md tells an administrator to create it.</summary>
    private static string DocumentedRole()
    {
        var doc = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "docs", "mapping.md"));
        var block = DocumentedBlock().Match(doc);
        Assert.That(block.Success, Is.True, "docs/mapping.md shows how to create the PostgreSQL read-only role");
        return block.Groups[1].Value;
    }

    [Test]
    public void Check_OwnersLogin_ListsTheMappedTablesItCouldWrite()
    {
        using var database = TestDatabase.Create(DatabaseProvider.Postgres);
        using var folder = new TempDirectory();
        Execute(database.ConnectionString, "CREATE TABLE region (id int PRIMARY KEY, title text); CREATE TABLE cp (id text PRIMARY KEY, name text, region int); CREATE TABLE other (id int);");

        var result = AttachChecker.Check([Ledger(folder, database.ConnectionString)], sampleRows: 0);

        Assert.That(result.Problems, Is.Empty);
        var access = result.WriteAccess.Single();
        Assert.That(access.CanWrite, Is.True);
        Assert.That(access.Tables, Is.EquivalentTo(new[] { "public.cp (INSERT, UPDATE, DELETE, TRUNCATE)", "public.region (INSERT, UPDATE, DELETE, TRUNCATE)" }),
            "the tables the mapping reads, not every table");
    }

    [Test]
    public void Check_TheDocumentedReadOnlyRole_IsReportedReadOnly()
    {
        using var database = TestDatabase.Create(DatabaseProvider.Postgres);
        using var folder = new TempDirectory();
        var role = "crmx_reader_" + Guid.NewGuid().ToString("N")[..8];
        var databaseName = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        Execute(database.ConnectionString, "CREATE TABLE region (id int PRIMARY KEY, title text); CREATE TABLE cp (id text PRIMARY KEY, name text, region int);");
        Execute(database.ConnectionString, DocumentedRole().Replace("crmx_reader", role, StringComparison.Ordinal).Replace("DATABASE erp", $"DATABASE \"{databaseName}\"", StringComparison.Ordinal));
        try
        {
            var reader = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = "change-me" }.ToString();

            var result = AttachChecker.Check([Ledger(folder, reader)], sampleRows: 10);

            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.WriteAccess.Single().CanWrite, Is.False);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Execute(database.ConnectionString, $"DROP OWNED BY {role}; DROP ROLE {role};");
        }
    }

    [Test]
    public void ParsedTables_TransactSqlWithCommonTableExpressionAndJoin_NamesTheTablesOnly()
    {
        var tables = WritePrivileges.ParsedTables(
            "WITH recent AS (SELECT * FROM dbo.[Invoice] WHERE issued > '2020-01-01') SELECT r.id AS ledger_id FROM recent AS r JOIN sales.Customer AS c ON c.id = r.customer");

        Assert.That(tables, Is.EquivalentTo(new[] { ("dbo", "Invoice"), ("sales", "Customer") }));
    }

    [GeneratedRegex(@"<!-- read-only-role:postgres -->\s*```sql\s*(.*?)```", RegexOptions.Singleline)]
    private static partial Regex DocumentedBlock();
}

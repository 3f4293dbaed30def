using System.Security.Cryptography;
using CrmExtensions.Testing;
using Npgsql;

namespace CrmExtensions.Host.Tests.Commands;

public sealed class AttachAndSyncCommandTests
{
    private static void WriteConfig(string folder, string ledgers, string store = """{ "provider": "sqlite", "connectionString": "Data Source=crm.db" }""") =>
        File.WriteAllText(Path.Combine(folder, "crmx.json"), $$"""{ "ledgers": {{ledgers}}, "store": {{store}} }""");

    private static string SharedLedger(string folder, string name)
    {
        var file = TestEnvironment.SharedDataFile($"ledgers/{name}.sqlite");
        var mapping = Path.Combine(TestEnvironment.RepoRoot, "samples", "mappings", $"{name}.map.json");
        return $$"""{ "name": "{{name}}", "provider": "sqlite", "connectionString": "Data Source={{file}}", "mapping": "{{mapping}}" }""";
    }

    private static string Sha256(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    [Test]
    public void AttachCheck_NorthwindAndChinook_PassWithTheShippedMappings()
    {
        using var folder = new TempDirectory();
        WriteConfig(folder.Path, $"[{SharedLedger(folder.Path, "northwind")}, {SharedLedger(folder.Path, "chinook")}]");

        var result = Crmx.Run(folder.Path, "attach", "--check");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Contain("ledger 'northwind':").And.Contain("ledger 'chinook':").And.EndWith("All ledgers attach cleanly." + Environment.NewLine));
    }

    [Test]
    public void AttachCheckAndSync_RealLedgers_LeaveTheirFilesByteForByteUnchanged()
    {
        using var folder = new TempDirectory();
        var files = new[] { "northwind", "chinook" }.Select(n => TestEnvironment.SharedDataFile($"ledgers/{n}.sqlite")).ToList();
        var before = files.Select(Sha256).ToList();
        WriteConfig(folder.Path, $"[{SharedLedger(folder.Path, "northwind")}, {SharedLedger(folder.Path, "chinook")}]");

        Assert.That(Crmx.Run(folder.Path, "attach", "--check").ExitCode, Is.Zero);
        var first = Crmx.Run(folder.Path, "sync");
        var second = Crmx.Run(folder.Path, "sync");

        Assert.That(first.ExitCode, Is.Zero, first.Error);
        Assert.That(first.Out, Does.Contain("830 new"), "Northwind has 830 orders");
        Assert.That(second.Out, Does.Not.Contain(" new,"));
        Assert.That(files.Select(Sha256), Is.EqualTo(before));
    }

    [Test]
    public void AttachCheck_BrokenConfiguration_ListsEveryProblemOnItsOwnLineAndExitsOne()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "bad.map.json"), """{ "counterparties": { "query": "SELECT CustomerID AS ledger_id, CompanyNme AS name FROM Customers" } }""");
        var northwind = TestEnvironment.SharedDataFile("ledgers/northwind.sqlite");
        WriteConfig(folder.Path, $$"""
            [ { "name": "nw", "provider": "sqlite", "connectionString": "Data Source={{northwind}}", "mapping": "bad.map.json" },
              { "name": "erp", "provider": "oracle", "connectionString": "x", "mapping": "bad.map.json" },
              { "name": "gone", "provider": "sqlite", "connectionString": "Data Source=gone.db", "mapping": "bad.map.json" } ]
            """);

        var result = Crmx.Run(folder.Path, "attach", "--check");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        var lines = result.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Some.EqualTo("error: ledger 'erp': unknown provider 'oracle'; use one of: sqlite, postgres, sqlserver"));
        Assert.That(lines.Last(), Is.EqualTo("1 problem found."), "configuration problems stop the check before any ledger is opened");
        WriteConfig(folder.Path, $$"""
            [ { "name": "nw", "provider": "sqlite", "connectionString": "Data Source={{northwind}}", "mapping": "bad.map.json" },
              { "name": "gone", "provider": "sqlite", "connectionString": "Data Source=gone.db", "mapping": "bad.map.json" } ]
            """);

        var second = Crmx.Run(folder.Path, "attach", "--check");

        var secondLines = second.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(secondLines, Has.Some.StartsWith("error: ledger 'nw', counterparties.CompanyNme (bad.map.json): query does not run:")
            .Or.Some.StartsWith("error: ledger 'nw', counterparties (bad.map.json): query does not run:"));
        Assert.That(secondLines, Has.Some.StartsWith("error: ledger 'gone': cannot reach the ledger: the SQLite file"));
        Assert.That(secondLines.Last(), Is.EqualTo("2 problems found."));
    }

    [Test]
    public void Sync_EnvironmentOverride_ReplacesAConfiguredValue()
    {
        using var folder = new TempDirectory();
        WriteConfig(folder.Path, $"[{SharedLedger(folder.Path, "chinook")}]");

        var result = Crmx.Run(folder.Path, new Dictionary<string, string> { ["CRMX__store__connectionString"] = "Data Source=elsewhere.db" }, "sync");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(File.Exists(Path.Combine(folder.Path, "elsewhere.db")), Is.True);
        Assert.That(File.Exists(Path.Combine(folder.Path, "crm.db")), Is.False);
    }

    [Test]
    public void AttachCheckAndSync_PostgresLedger_LeaveEveryTableRowForRowUnchanged()
    {
        using var ledger = TestDatabase.Create(DatabaseProvider.Postgres);
        using var folder = new TempDirectory();
        Execute(ledger.ConnectionString, """
            CREATE TABLE "counter party" (code char(10) PRIMARY KEY, title text NOT NULL, inn text, changed timestamp NOT NULL);
            CREATE TABLE invoice (id bigint PRIMARY KEY, party char(10) NOT NULL, issued date NOT NULL, total numeric(12,2) NOT NULL, paid numeric(12,2));
            INSERT INTO "counter party" VALUES ('0001', 'ООО «Ромашка»', '7707083893', '2024-01-01 10:00'), ('0002', 'Acme GmbH', NULL, '2024-01-02 10:00');
            INSERT INTO invoice VALUES (1, '0001', '2024-02-01', 1234.56, 0), (2, '0002', '2024-02-02', 99.90, 99.90);
            """);
        File.WriteAllText(Path.Combine(folder.Path, "pg.map.json"), """
            { "counterparties": { "query": "SELECT code AS ledger_id, title AS name, inn AS tax_id, changed AS updated_at FROM \"counter party\"", "watermark": "updated_at" },
              "invoices": { "query": "SELECT id AS ledger_id, party AS counterparty_id, issued AS issued_on, total AS amount, paid AS paid_amount FROM invoice" } }
            """);
        WriteConfig(folder.Path, $$"""[ { "name": "pg", "provider": "postgres", "connectionString": "{{ledger.ConnectionString}}", "mapping": "pg.map.json" } ]""");
        var before = Checksums(ledger.ConnectionString);

        var check = Crmx.Run(folder.Path, "attach", "--check");
        var sync = Crmx.Run(folder.Path, "sync");
        var again = Crmx.Run(folder.Path, "sync");

        Assert.That(check.ExitCode, Is.Zero, check.Error);
        Assert.That(sync.ExitCode, Is.Zero, sync.Error);
        Assert.That(sync.Out, Does.Contain("2 new"));
        Assert.That(again.Out, Does.Not.Contain(" new,"));
        Assert.That(Checksums(ledger.ConnectionString), Is.EqualTo(before).And.Count.EqualTo(2));
    }

    internal static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>An md5 over every row of every table in the public schema, per table.</summary>
    internal static Dictionary<string, string> Checksums(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        var tables = new List<string>();
        using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var result = new Dictionary<string, string>();
        foreach (var table in tables)
        {
            using var sum = new NpgsqlCommand($"SELECT COUNT(*)::text || ':' || COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"{table}\" t", connection);
            result[table] = (string)sum.ExecuteScalar()!;
        }

        return result;
    }
}

using System.Security.Cryptography;
using CrmExtensions.Host.Tests.Commands;
using CrmExtensions.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmExtensions.Host.Tests.Issues;

/// <summary>Issue 20, item 2: a store pointed at a ledger created the CRM's tables inside the company's ledger.</summary>
public sealed class Issue20StoreOnLedgerTests
{
    /// <summary>Every command that opens the store.</summary>
    private static readonly string[][] StoreCommands =
    [
        ["sync"], ["unify"], ["clients", "list"], ["run", "--once"], ["mail", "dispatch"], ["mail", "status"],
        ["report", "pareto"], ["reminders", "due"], ["deals", "list"], ["activity", "list"], ["plugins", "list"],
    ];

    private static string Sha256(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    [TestCase("Data Source=msk.db")]
    [TestCase("Data Source=./sub/../msk.db")]
    [TestCase("Data Source=link.db")]
    [TestCase("Data Source=linked/msk.db")]
    public void EveryStoreCommand_SqliteStoreOnTheLedgerFile_RefusesInOneLineAndLeavesTheLedgerByteForByte(string store)
    {
        using var folder = new TempDirectory();
        var ledger = Path.Combine(folder.Path, "msk.db");
        using (var connection = new SqliteConnection($"Data Source={ledger};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE cp (id TEXT PRIMARY KEY, name TEXT NOT NULL); INSERT INTO cp VALUES ('1', 'Ромашка');";
            command.ExecuteNonQuery();
        }

        Directory.CreateDirectory(Path.Combine(folder.Path, "sub"));
        File.CreateSymbolicLink(Path.Combine(folder.Path, "link.db"), ledger);
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "linked"), folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "msk.map.json"), """{ "counterparties": { "query": "SELECT id AS ledger_id, name FROM cp" } }""");
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), $$"""
            { "ledgers": [ { "name": "msk", "provider": "sqlite", "connectionString": "Data Source=msk.db", "mapping": "msk.map.json" } ],
              "store": { "provider": "sqlite", "connectionString": "{{store}}" } }
            """);
        var before = Sha256(ledger);

        foreach (var args in StoreCommands)
        {
            var result = Crmx.Run(folder.Path, args);

            Assert.That(result.ExitCode, Is.EqualTo(1), $"crmx {string.Join(' ', args)}: {result.Out}{result.Error}");
            Assert.That(result.Error.Trim(), Does.StartWith("error: ").And.Contain("ledger 'msk'").And.Not.Contain(Environment.NewLine),
                $"crmx {string.Join(' ', args)}");
        }

        Assert.That(Sha256(ledger), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(folder.Path, "msk.db-*"), Is.Empty, "no WAL or journal left beside the ledger");
    }

    [Test]
    public void Sync_PostgresStoreOnTheLedgerDatabaseSpelledAnotherWay_RefusesAndLeavesEveryTable()
    {
        using var ledger = TestDatabase.Create(DatabaseProvider.Postgres);
        using var folder = new TempDirectory();
        AttachAndSyncCommandTests.Execute(ledger.ConnectionString, "CREATE TABLE cp (id text PRIMARY KEY, name text NOT NULL); INSERT INTO cp VALUES ('1', 'Ромашка');");

        var other = new NpgsqlConnectionStringBuilder(ledger.ConnectionString) { Host = "localhost", ApplicationName = "crm" }.ConnectionString;
        File.WriteAllText(Path.Combine(folder.Path, "pg.map.json"), """{ "counterparties": { "query": "SELECT id AS ledger_id, name FROM cp" } }""");
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), $$"""
            { "ledgers": [ { "name": "pg", "provider": "postgres", "connectionString": "{{ledger.ConnectionString}}", "mapping": "pg.map.json" } ],
              "store": { "provider": "postgres", "connectionString": "{{other}}" } }
            """);
        var before = AttachAndSyncCommandTests.Checksums(ledger.ConnectionString);

        var result = Crmx.Run(folder.Path, "sync");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Out + result.Error);
        Assert.That(result.Error, Does.StartWith("error: ").And.Contain("ledger 'pg'"));
        Assert.That(AttachAndSyncCommandTests.Checksums(ledger.ConnectionString), Is.EqualTo(before).And.Count.EqualTo(1));
    }
}

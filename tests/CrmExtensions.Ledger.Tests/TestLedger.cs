using CrmExtensions.Ledger.Connections;
using CrmExtensions.Ledger.Mapping;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Ledger.Tests;

/// <summary>A small SQLite ledger in a schema of its own, with the traps real ones have, and its mapping file.</summary>
internal sealed class TestLedger : IDisposable
{
    public const string DefaultMapping = """
        // A test ledger: counterparties, invoices in kopecks, payments in roubles as REAL.
        {
          "counterparties": {
            "query": "SELECT code AS ledger_id, title AS name, inn AS tax_id, kpp AS branch_code, changed AS updated_at FROM \"Counter Party\"",
            "watermark": "updated_at",
          },
          "invoices": {
            "query": "SELECT id AS ledger_id, party AS counterparty_id, issued AS issued_on, due AS due_on, kop / 100.0 AS amount, paid_kop / 100.0 AS paid_amount FROM invoice"
          },
          "payments": {
            "query": "SELECT id AS ledger_id, party AS counterparty_id, paid AS paid_on, rub AS amount, invoice AS invoice_id FROM payment"
          }
        }
        """;

    private readonly TempDirectory _directory = new();

    public TestLedger(string name = "main", string mapping = DefaultMapping)
    {
        Name = name;
        Path = System.IO.Path.Combine(_directory.Path, name + ".db");
        MappingPath = System.IO.Path.Combine(_directory.Path, name + ".map.json");
        File.WriteAllText(MappingPath, mapping);
        Execute("""
            CREATE TABLE "Counter Party" (code TEXT PRIMARY KEY, title TEXT, inn TEXT, kpp TEXT, changed TEXT);
            CREATE TABLE invoice (id INTEGER PRIMARY KEY, party TEXT, issued TEXT, due TEXT, kop INTEGER, paid_kop INTEGER);
            CREATE TABLE payment (id INTEGER PRIMARY KEY, party TEXT, paid TEXT, rub REAL, invoice INTEGER);
            INSERT INTO "Counter Party" VALUES ('0001 ', 'ООО «Ромашка»', '7707083893', '773601001', '2024-01-01 10:00:00');
            INSERT INTO "Counter Party" VALUES ('0002 ', 'Ромашка ООО (филиал)', '7707083893', '781002001', '2024-01-01 10:00:00');
            INSERT INTO "Counter Party" VALUES ('0003 ', 'Acme Trading GmbH', NULL, NULL, '2024-01-02 10:00:00');
            INSERT INTO invoice VALUES (1, '0001 ', '05.02.2024', '2024-03-05', 123456, 0);
            INSERT INTO invoice VALUES (2, '0003 ', '2024-02-06', '2024-03-06', 50000, 50000);
            INSERT INTO payment VALUES (1, '0003 ', '2024-02-10', 500.0, 2);
            """);
    }

    public string Name { get; }

    public string Path { get; }

    public string MappingPath { get; }

    public string Directory => _directory.Path;

    public string ConnectionString => $"Data Source={Path}";

    public LedgerOptions Options => new() { Name = Name, Provider = "sqlite", ConnectionString = ConnectionString, Mapping = MappingPath };

    /// <summary>The ledger as the host resolves it from configuration.</summary>
    public LedgerDefinition Definition()
    {
        var problems = new List<LedgerProblem>();
        var ledgers = LedgerCatalog.Resolve([Options], Directory, problems);
        Assert.That(problems, Is.Empty, "the test ledger's own configuration has problems");
        return ledgers.Single();
    }

    /// <summary>Changes the ledger as its accounting system would (tests only; the host never writes a ledger).</summary>
    public void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _directory.Dispose();
}

/// <summary>A fresh store on a test database.</summary>
internal static class TestStores
{
    public static CrmStore Create(TestDatabase database, TimeProvider? time = null)
    {
        var provider = database.Provider == Testing.DatabaseProvider.Postgres ? Store.Providers.DatabaseProvider.PostgreSql : Store.Providers.DatabaseProvider.Sqlite;
        var store = new CrmStore(provider, database.ConnectionString, time ?? TimeProvider.System);
        store.Migrate();
        return store;
    }

    public static LedgerMapping ParseMapping(string json, string ledger = "main")
    {
        var problems = new List<LedgerProblem>();
        var mapping = MappingLoader.Parse(ledger, "test.map.json", json, problems);
        Assert.That(problems, Is.Empty);
        return mapping!;
    }
}

/// <summary>The test ledger's counterparties as unification leaves them, in two clients: «Ромашка» (0001, 0002) and Acme
/// (0003).</summary>
internal static class TestClients
{
    public static void AddTo(CrmStore store)
    {
        using var connection = store.Open();
        connection.Execute("""
            INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at)
            VALUES (1, 'Ромашка', 2, 1, 1, 'x', 'x'), (2, 'Acme', 1, 1, 0, 'x', 'x')
            """);
        connection.Execute("""
            INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, entity_name, tax_id, role)
            VALUES ('main', '0001', 1, '7707083893', 'Ромашка', '7707083893', 'head'), ('main', '0002', 1, '7707083893', 'Ромашка', '7707083893', 'branch'),
                   ('main', '0003', 2, 'main:0003', 'Acme', NULL, 'head')
            """);
    }
}

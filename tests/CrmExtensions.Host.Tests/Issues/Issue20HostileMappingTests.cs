using CrmExtensions.Host.Tests.Commands;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Issues;

/// <summary>Issue 20, item 1: a PostgreSQL ledger could be written through its mapping.</summary>
public sealed class Issue20HostileMappingTests
{
    private const string Update = "COMMIT; BEGIN READ WRITE; UPDATE cp SET name='PWNED' WHERE id='C2'; COMMIT; -- '";

    private static readonly string[] Hostile =
    [
        // A dollar-quoted string holding a quote: a scanner that does not know $$ thinks the ';' are quoted.
        "SELECT id AS ledger_id, name, $$'$$ AS city FROM cp; " + Update,
        // An E'' literal whose \' is an escaped quote.
        "SELECT id AS ledger_id, name, E'\\'' AS city FROM cp; " + Update,
        "SELECT id AS ledger_id, name, $$'$$ AS city FROM cp; COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; DELETE FROM cp; -- '",
        "SELECT id AS ledger_id, name, $tag$'$tag$ AS city FROM cp; DELETE FROM cp; -- '",
        // A plain second statement: the read-only transaction refuses it, and the line must name ledger and mapping.
        "SELECT id AS ledger_id, name, $$'$$ AS city FROM cp; DELETE FROM cp; -- '",
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        Hostile.Select((q, i) => new TestCaseData(q).SetName($"Sync_HostileMapping{i + 1}_LeavesThePostgresLedgerUnchangedAndNamesLedgerAndMapping"));

    [TestCaseSource(nameof(Cases))]
    public void Sync_HostileMapping_LeavesThePostgresLedgerUnchangedAndNamesLedgerAndMapping(string query)
    {
        using var ledger = TestDatabase.Create(DatabaseProvider.Postgres);
        using var folder = new TempDirectory();
        AttachAndSyncCommandTests.Execute(ledger.ConnectionString, "CREATE TABLE cp (id text PRIMARY KEY, name text NOT NULL); INSERT INTO cp VALUES ('C1', 'Alpha'), ('C2', 'Beta');");

        File.WriteAllText(Path.Combine(folder.Path, "pg.map.json"),
            System.Text.Json.JsonSerializer.Serialize(new { counterparties = new { query } }));
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), $$"""
            { "ledgers": [ { "name": "pg", "provider": "postgres", "connectionString": "{{ledger.ConnectionString}}", "mapping": "pg.map.json" } ],
              "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" } }
            """);
        var before = AttachAndSyncCommandTests.Checksums(ledger.ConnectionString);

        var sync = Crmx.Run(folder.Path, "sync");
        var check = Crmx.Run(folder.Path, "attach", "--check");
        var run = Crmx.Run(folder.Path, "run", "--once");

        Assert.That(AttachAndSyncCommandTests.Checksums(ledger.ConnectionString), Is.EqualTo(before));
        foreach (var result in new[] { sync, check, run })
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Out + result.Error);
            Assert.That(result.Error, Does.Match(@"error: (sync: )?ledger 'pg', counterparties \(pg\.map\.json\): "));
        }
    }
}

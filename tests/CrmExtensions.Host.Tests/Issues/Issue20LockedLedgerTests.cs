using System.Runtime.InteropServices;
using CrmExtensions.Host.Tests.Commands;
using CrmExtensions.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmExtensions.Host.Tests.Issues;

/// <summary>
/// Issue 20, item 6: while the accounting program held an exclusive lock on a ledger, sync, attach --check and
/// run --once printed nothing and waited without limit, and attach --check ignored SIGTERM.
/// </summary>
public sealed class Issue20LockedLedgerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly string[][] LedgerCommands = [["sync"], ["attach", "--check"], ["run", "--once"]];

    private static void WriteWorkspace(string folder, string provider, string connectionString, int busyTimeoutSeconds)
    {
        File.WriteAllText(Path.Combine(folder, "main.map.json"), """
            { "counterparties": { "query": "SELECT id AS ledger_id, name FROM cp" },
              "contacts": { "query": "SELECT id AS ledger_id, id AS counterparty_id, name AS full_name FROM cp" } }
            """);
        File.WriteAllText(Path.Combine(folder, "crmx.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            ledgers = new[] { new { name = "main", provider, connectionString, mapping = "main.map.json", busyTimeoutSeconds } },
            store = new { provider = "sqlite", connectionString = "Data Source=crm.db" },
        }));
    }

    /// <summary>A SQLite ledger and a connection holding it exclusively, as an accounting program writing to it does.</summary>
    private static SqliteConnection LockedSqliteLedger(string folder)
    {
        var file = Path.Combine(folder, "ledger.db");
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=DELETE; CREATE TABLE cp (id TEXT PRIMARY KEY, name TEXT NOT NULL); INSERT INTO cp VALUES ('1', 'Ромашка'); BEGIN EXCLUSIVE;";
        command.ExecuteNonQuery();
        return connection;
    }

    private static async Task<CrmxResult> RunBoundedAsync(string folder, string[] args) =>
        await Task.Run(() => Crmx.Run(folder, args)).WaitAsync(Patience);

    [Test]
    public async Task LedgerCommands_SqliteLedgerLockedByAnotherProgram_GiveUpAfterTheBusyTimeoutInOneLineNamingIt()
    {
        using var folder = new TempDirectory();
        using var hold = LockedSqliteLedger(folder.Path);
        WriteWorkspace(folder.Path, "sqlite", "Data Source=ledger.db", busyTimeoutSeconds: 1);

        foreach (var args in LedgerCommands)
        {
            var result = await RunBoundedAsync(folder.Path, args);

            Assert.That(result.ExitCode, Is.EqualTo(1), string.Join(" ", args) + ": " + result.Out + result.Error);
            var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal) && l.Contains("locked", StringComparison.Ordinal)).ToList();
            Assert.That(lines, Has.Count.EqualTo(1), string.Join(" ", args) + ": " + result.Error);
            Assert.That(lines[0], Does.Contain("ledger 'main'").And.Contain("(main.map.json)").And.Contain("busyTimeoutSeconds"));
        }
    }

    [Test]
    public async Task Sync_PostgresTableLockedByAnotherSession_GivesUpAfterTheBusyTimeoutInOneLineNamingIt()
    {
        using var ledger = TestDatabase.Create(DatabaseProvider.Postgres);
        using var folder = new TempDirectory();
        AttachAndSyncCommandTests.Execute(ledger.ConnectionString, "CREATE TABLE cp (id text PRIMARY KEY, name text NOT NULL); INSERT INTO cp VALUES ('1', 'Ромашка');");
        WriteWorkspace(folder.Path, "postgres", ledger.ConnectionString, busyTimeoutSeconds: 1);
        await using var hold = new NpgsqlConnection(ledger.ConnectionString);
        await hold.OpenAsync();
        await using var transaction = await hold.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE cp IN ACCESS EXCLUSIVE MODE", hold, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        foreach (var args in LedgerCommands)
        {
            var result = await RunBoundedAsync(folder.Path, args);

            Assert.That(result.ExitCode, Is.EqualTo(1), string.Join(" ", args) + ": " + result.Out + result.Error);
            Assert.That(result.Error, Does.Contain("ledger 'main', counterparties (main.map.json): the ledger is locked or busy"));
        }
    }

    [Test]
    public async Task AttachCheck_WaitingForALockedLedger_StopsOnSigtermWithExitCode130()
    {
        using var folder = new TempDirectory();
        using var hold = LockedSqliteLedger(folder.Path);
        WriteWorkspace(folder.Path, "sqlite", "Data Source=ledger.db", busyTimeoutSeconds: 600);
        using var process = CrmxProcess.Start(folder.Path, "attach", "--check");

        // Long enough for the process to be waiting on the lock; a SIGTERM that came earlier stops it all the same.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(process.HasExited, Is.False, "still waiting for the ledger");
        Assert.That(SendSignal(process.Id, SigTerm), Is.Zero);
        var result = CrmxProcess.Finish(process, Patience);

        Assert.That(result.ExitCode, Is.EqualTo(130), result.Out + result.Error);
        Assert.That(result.Error, Does.Contain("cancelled"));
    }

    [Test]
    public async Task Sync_WaitingForAStoreLockedByAnotherProgram_SaysSoOnSigtermAndStopsAtOnceOnTheSecond()
    {
        using var folder = new TempDirectory();
        using (LockedSqliteLedger(folder.Path))
        {
            // Only the ledger's file is made here; the lock is taken on the store below.
        }

        WriteWorkspace(folder.Path, "sqlite", "Data Source=ledger.db", busyTimeoutSeconds: 30);
        Assert.That(Crmx.Run(folder.Path, "sync").ExitCode, Is.Zero);
        using var hold = new SqliteConnection($"Data Source={Path.Combine(folder.Path, "crm.db")};Pooling=False");
        hold.Open();
        using (var command = hold.CreateCommand())
        {
            command.CommandText = "BEGIN EXCLUSIVE;";
            command.ExecuteNonQuery();
        }

        var before = File.ReadAllBytes(Path.Combine(folder.Path, "crm.db"));
        using var process = CrmxProcess.Start(folder.Path, "sync");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(process.HasExited, Is.False, "waiting for the store (its busy timeout is 60 s)");
        Assert.That(SendSignal(process.Id, SigTerm), Is.Zero);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.That(process.HasExited, Is.False, "the first SIGTERM lets the unit in hand finish");
        Assert.That(SendSignal(process.Id, SigTerm), Is.Zero);
        var result = CrmxProcess.Finish(process, Patience);

        // 143 is the signal's own end; after the store's busy timeout the command would have exited 1 (or 130, cancelled).
        Assert.That(result.ExitCode, Is.EqualTo(143), result.Out + result.Error);
        Assert.That(result.Error, Does.Contain("crmx: stopping after the unit of work in hand; SIGTERM again stops at once."));
        Assert.That(File.ReadAllBytes(Path.Combine(folder.Path, "crm.db")), Is.EqualTo(before), "nothing written");
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}

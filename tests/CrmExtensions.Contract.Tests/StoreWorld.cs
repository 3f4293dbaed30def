using System.Globalization;
using System.Text.Json.Nodes;
using CrmExtensions.Host.Commands;
using CrmExtensions.Runtime.Storage;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Sdk.Storage;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Contract.Tests;

/// <summary>
/// <see cref="ContractWorld"/> as the host sees it: written into two SQLite ledger files with a mapping, then synced and
/// unified by crmx into a real store on <see cref="ContractWorld.SyncDay"/>; read through the host's facts and reader.
/// </summary>
internal sealed class StoreWorld : IDisposable
{
    private const string PluginId = "CrmExtensions.Contract.Tests";

    private const string Mapping = """
        {
          "counterparties": { "query": "SELECT id AS ledger_id, name, inn AS tax_id, kpp AS branch_code, city, email, manager, birthday FROM counterparty" },
          "invoices": { "query": "SELECT id AS ledger_id, party AS counterparty_id, number, issued AS issued_on, due AS due_on, kop / 100.0 AS amount, paid_kop / 100.0 AS paid_amount, currency, manager FROM invoice" },
          "payments": { "query": "SELECT id AS ledger_id, party AS counterparty_id, paid AS paid_on, kop / 100.0 AS amount, invoice AS invoice_id FROM payment" },
          "contacts": { "query": "SELECT id AS ledger_id, party AS counterparty_id, full_name, position, email, birthday FROM contact" },
          "rates": { "query": "SELECT currency || '/' || since AS ledger_id, currency, since AS rate_on, rate FROM rate" }
        }
        """;

    private readonly TempDirectory _folder = new();
    private readonly TestDatabase _database;
    private readonly FakeTimeProvider _clock;

    public StoreWorld(DatabaseProvider provider)
    {
        _database = TestDatabase.Create(provider);
        _clock = new FakeTimeProvider(new DateTimeOffset(ContractWorld.SyncDay.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        _clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        WriteLedgers();
        WriteConfiguration(provider);
        Crmx("sync");
        Crmx("unify");
        Store = new CrmStore(provider == DatabaseProvider.Postgres ? CrmExtensions.Store.Providers.DatabaseProvider.PostgreSql : CrmExtensions.Store.Providers.DatabaseProvider.Sqlite,
            _database.ConnectionString, _clock);
        Facts = new StoreFacts(Store);
        Reader = new StoreReader(Store);
    }

    public CrmStore Store { get; }

    public StoreFacts Facts { get; }

    public StoreReader Reader { get; }

    /// <summary>Runs writes as a plugin's call would: held by the host's unit of writes, then applied in one transaction.</summary>
    public async Task WriteAsync(Func<ICrmWriter, Task> write)
    {
        var writes = new PluginWrites(PluginId, Reader, new StoreState(Store), TemplateSet.Empty(PluginId), [], () => [], _clock);
        await write(writes);
        var ops = writes.Seal();
        using var connection = Store.Open();
        using var transaction = connection.BeginTransaction();
        WriteApplier.Apply(connection, transaction, Store.Dialect, PluginId, ops, WriteApplier.Format(_clock.GetUtcNow()));
        transaction.Commit();
    }

    public void Dispose()
    {
        _database.Dispose();
        _folder.Dispose();
    }

    private void WriteLedgers()
    {
        foreach (var ledger in new[] { "msk", "spb" })
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.Path, ledger + ".db"), Pooling = false }.ToString());
            connection.Open();
            Execute(connection, """
                CREATE TABLE counterparty (id TEXT PRIMARY KEY, name TEXT, inn TEXT, kpp TEXT, city TEXT, email TEXT, manager TEXT, birthday TEXT);
                CREATE TABLE invoice (id TEXT PRIMARY KEY, party TEXT, number TEXT, issued TEXT, due TEXT, kop INTEGER, paid_kop INTEGER, currency TEXT, manager TEXT);
                CREATE TABLE payment (id TEXT PRIMARY KEY, party TEXT, paid TEXT, kop INTEGER, invoice TEXT);
                CREATE TABLE contact (id TEXT PRIMARY KEY, party TEXT, full_name TEXT, position TEXT, email TEXT, birthday TEXT);
                CREATE TABLE rate (currency TEXT, since TEXT, rate REAL);
                -- The test kit's InMemoryCrm keeps no rates and counts every invoice in the base currency: a rate of 1 is
                -- the same world, with the world's euro invoice still in euros.
                INSERT INTO rate VALUES ('EUR', '2000-01-01', 1);
                """);
            foreach (var c in ContractWorld.Counterparties.Where(c => c.Key.Ledger == ledger))
            {
                Execute(connection, "INSERT INTO counterparty VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", c.Key.Id, c.Name, c.TaxId, c.BranchCode, c.City, c.Email, c.Manager, Day(c.Birthday));
            }

            foreach (var i in ContractWorld.Invoices.Where(i => i.Key.Ledger == ledger))
            {
                Execute(connection, "INSERT INTO invoice VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    i.Key.Id, i.Counterparty.Id, i.Number, Day(i.IssuedOn), Day(i.DueOn), Kopecks(i.Amount), Kopecks(i.PaidAmount), i.Currency, i.Manager);
            }

            foreach (var p in ContractWorld.Payments.Where(p => p.Key.Ledger == ledger))
            {
                Execute(connection, "INSERT INTO payment VALUES ($1, $2, $3, $4, $5)", p.Key.Id, p.Counterparty.Id, Day(p.PaidOn), Kopecks(p.Amount), p.InvoiceId);
            }

            foreach (var c in ContractWorld.Contacts.Where(c => c.Key.Ledger == ledger))
            {
                Execute(connection, "INSERT INTO contact VALUES ($1, $2, $3, $4, $5, $6)", c.Key.Id, c.Counterparty.Id, c.FullName, c.Position, c.Email, Day(c.Birthday));
            }
        }

        File.WriteAllText(Path.Combine(_folder.Path, "ledger.map.json"), Mapping);
    }

    private void WriteConfiguration(DatabaseProvider provider)
    {
        var ledgers = new JsonArray();
        foreach (var name in new[] { "msk", "spb" })
        {
            ledgers.Add(new JsonObject { ["name"] = name, ["provider"] = "sqlite", ["connectionString"] = $"Data Source={name}.db", ["mapping"] = "ledger.map.json" });
        }

        File.WriteAllText(Path.Combine(_folder.Path, "crmx.json"), new JsonObject
        {
            ["ledgers"] = ledgers,
            ["store"] = new JsonObject { ["provider"] = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite", ["connectionString"] = _database.ConnectionString },
        }.ToJsonString());
    }

    private void Crmx(string command)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = CrmxApp.RunAsync([command], new CommandContext
        {
            Out = output, Error = error, WorkingDirectory = _folder.Path, Time = _clock, Environment = new Dictionary<string, string>(),
        }).GetAwaiter().GetResult();
        Assert.That(code, Is.Zero, $"crmx {command}: {error}");
    }

    private static void Execute(SqliteConnection connection, string sql, params object?[] values)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (i + 1).ToString(CultureInfo.InvariantCulture), values[i] ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long? Kopecks(decimal? amount) => amount is { } a ? (long)(a * 100) : null;
}

using System.Text.Json.Nodes;
using CrmExtensions.Host.Commands;
using CrmExtensions.Samples;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Plugins.Tests;

/// <summary>
/// The sample company's two regional ledgers (msk, spb), synced and unified by crmx into a real store, as of the last
/// day of their history; the clock the store and crmx see is a fake one the tests move.
/// </summary>
internal sealed class SampleWorkspace : IDisposable
{
    private readonly TempDirectory _folder;
    private readonly TestDatabase _database;

    private SampleWorkspace(TempDirectory folder, TestDatabase database, FakeTimeProvider clock)
    {
        _folder = folder;
        _database = database;
        Clock = clock;
        Store = OpenStore(clock);
    }

    public string Path => _folder.Path;

    /// <summary>The clock crmx synced and unified with.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The store, seen with <see cref="Clock"/>.</summary>
    public CrmStore Store { get; }

    /// <summary>The same store seen with another clock (a fake clock cannot be moved back to replay a year).</summary>
    public CrmStore OpenStore(TimeProvider time) =>
        new(_database.Provider == DatabaseProvider.Postgres ? CrmExtensions.Store.Providers.DatabaseProvider.PostgreSql : CrmExtensions.Store.Providers.DatabaseProvider.Sqlite,
            _database.ConnectionString, time);

    /// <summary>Generates the ledgers with history up to <paramref name="asOf"/>, syncs and unifies them at noon that day.</summary>
    public static SampleWorkspace Create(DatabaseProvider provider, DateOnly asOf, int counterparties = 300, int seed = 3, string? ledgersFrom = null)
    {
        var folder = new TempDirectory();
        var database = TestDatabase.Create(provider);
        var clock = new FakeTimeProvider(new DateTimeOffset(asOf.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        if (ledgersFrom is null)
        {
            SampleLedger.Generate(folder.Path, new SampleLedgerOptions { Counterparties = counterparties, Seed = seed, AsOf = asOf, Ledgers = DemoCommand.DemoLedgers });
        }
        else
        {
            foreach (var file in Directory.GetFiles(ledgersFrom).Where(f => f.EndsWith(".db", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            {
                File.Copy(file, System.IO.Path.Combine(folder.Path, System.IO.Path.GetFileName(file)));
            }
        }

        var ledgers = new JsonArray();
        foreach (var name in DemoCommand.DemoLedgers)
        {
            ledgers.Add(new JsonObject { ["name"] = name, ["provider"] = "sqlite", ["connectionString"] = $"Data Source={name}.db", ["mapping"] = SampleLedger.MappingFileName });
        }

        var isPostgres = provider == DatabaseProvider.Postgres;
        File.WriteAllText(System.IO.Path.Combine(folder.Path, "crmx.json"), new JsonObject
        {
            ["ledgers"] = ledgers,
            ["store"] = new JsonObject { ["provider"] = isPostgres ? "postgres" : "sqlite", ["connectionString"] = database.ConnectionString },
        }.ToJsonString());
        foreach (var command in new[] { "sync", "unify" })
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var code = CrmxApp.RunAsync([command], new CommandContext
            {
                Out = output, Error = error, WorkingDirectory = folder.Path, Time = clock, Environment = new Dictionary<string, string>(),
            }).GetAwaiter().GetResult();
            Assert.That(code, Is.Zero, $"crmx {command}: {error}");
        }

        return new SampleWorkspace(folder, database, clock);
    }

    public void Dispose()
    {
        _database.Dispose();
        _folder.Dispose();
    }
}

using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using CrmExtensions.Unification;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary><c>crmx unify</c> after a sync that changed a few rows: only the rows around them are re-examined, with the
/// match model kept in the store, and the clients equal those of a full run; on every store provider.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class IncrementalUnifyTests(DatabaseProvider provider)
{
    private const string Counterparties = "\"Справочник Контрагенты\"";

    private TempDirectory _folder = null!;
    private TestDatabase _store = null!;
    private string _demo = null!;
    private Dictionary<string, string> _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempDirectory();
        _store = TestDatabase.Create(provider);
        Assert.That(Crmx.Run(_folder.Path, "demo", "--counterparties", "600", "--seed", "7").ExitCode, Is.Zero);
        _demo = Path.Combine(_folder.Path, "crmx-demo");
        _environment = new Dictionary<string, string>
        {
            ["CRMX__store__provider"] = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
            ["CRMX__store__connectionString"] = _store.ConnectionString,
        };
    }

    [TearDown]
    public void TearDown()
    {
        // Null when the set-up stopped early (a PostgreSQL server that is missing ignores the test).
        _store?.Dispose();
        _folder?.Dispose();
    }

    private CrmxResult Run(params string[] args)
    {
        var result = Crmx.Run(_demo, _environment, args);
        Assert.That(result.ExitCode, Is.Zero, $"crmx {string.Join(' ', args)}: {result.Error}");
        return result;
    }

    /// <summary>Ledger row (ledger:id) → client id, from <c>crmx clients export</c>.</summary>
    private Dictionary<string, long> Membership() => Run("clients", "export").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
        .Select(l => l.Split(',')).ToDictionary(f => f[1] + ":" + f[2], f => long.Parse(f[0], CultureInfo.InvariantCulture));

    /// <summary>The clients as sets of rows, whatever their ids.</summary>
    private static List<string> Partition(Dictionary<string, long> membership) =>
        [.. membership.GroupBy(p => p.Value).Select(g => string.Join(" ", g.Select(p => p.Key).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal)];

    private void ChangeLedger(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_demo, "msk.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The ledger code of the n-th counterparty of the Moscow ledger (codes are padded with spaces there).</summary>
    private static string Code(int n) => n.ToString("000000000", CultureInfo.InvariantCulture) + "  ";

    private static string Column(string column, int from) =>
        $"\"{column}\" = (SELECT \"{column}\" FROM {Counterparties} WHERE \"Код\" = '{Code(from)}')";

    private static readonly string Stamp = "\"Изменено\" = '2999-01-01 00:00:00'";

    [Test]
    public void Unify_AtATerminal_ShowsTheReadingEachStageAndTheWriteOnTheErrorStream()
    {
        Run("sync");
        var first = Crmx.Run(_demo, _environment, interactive: true, "unify");
        var again = Crmx.Run(_demo, _environment, interactive: true, "unify");
        var redirected = Run("unify", "--full");

        Assert.That((first.ExitCode, again.ExitCode), Is.EqualTo((0, 0)), first.Error + again.Error);
        var clients = first.Out.Split('\n')[0].Split('→')[^1].Trim().Split(' ')[0];
        Assert.That(first.Error, Does.Contain("unify: normalise").And.Contain("unify: normalise, 0 counterparties read from the mirror")
            .And.Contain("unify: block+compare").And.Contain("unify: learn+score").And.Contain("unify: cluster").And.Contain("unify: explain")
            .And.Contain($"unify: writing {clients} clients"));
        Assert.That(again.Error, Does.Contain("unify: block+scope+compare").And.Contain("unify: score").And.Not.Contain("learn+score"));
        Assert.That(first.Out + redirected.Error + redirected.Out, Does.Not.Contain("unify: "), "progress only at a terminal, on the error stream");
    }

    [Test]
    public void Unify_AfterLedgerEditsAndDecisions_ReExaminesAFewRowsAndEqualsAFullRun()
    {
        Run("sync");
        var first = Run("unify");
        var before = Membership();
        var byClient = before.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Key).Order(StringComparer.Ordinal).ToList());
        var singles = byClient.Where(c => c.Value.Count == 1).Select(c => c.Key).Take(2).ToList();
        var pair = byClient.Where(c => c.Value.Count >= 2).Select(c => c.Value).First();

        // Decisions, each applied by an incremental run.
        var merge = Run("clients", "merge", singles[0].ToString(CultureInfo.InvariantCulture), singles[1].ToString(CultureInfo.InvariantCulture));
        var never = Run("clients", "never-link", pair[0], pair[1]);

        // A rename to another row's name, address and phone (dropping its INN); a new duplicate; a vanished row; an INN changed
        // to another row's; a row moved to another address.
        ChangeLedger($"""
            UPDATE {Counterparties} SET {Column("Наименование", 20)}, {Column("ЮрАдрес", 20)}, {Column("Город", 20)}, {Column("Телефон", 20)},
                "ИНН" = NULL, "КПП" = NULL, "ОГРН" = NULL, {Stamp} WHERE "Код" = '{Code(10)}';
            INSERT INTO {Counterparties} ("Код", "Наименование", "ЮрАдрес", "Город", "Телефон", "Изменено")
                SELECT '999999991', "Наименование" || ' ', "ЮрАдрес", "Город", "Телефон", '2999-01-01 00:00:00' FROM {Counterparties} WHERE "Код" = '{Code(30)}';
            DELETE FROM {Counterparties} WHERE "Код" = '{Code(40)}';
            UPDATE {Counterparties} SET {Column("ИНН", 60)}, {Stamp} WHERE "Код" = '{Code(50)}';
            UPDATE {Counterparties} SET "ЮрАдрес" = COALESCE("ЮрАдрес", '') || ', оф. 9', {Stamp} WHERE "Код" = '{Code(70)}';
            """);
        var sync = Run("sync");
        var incremental = Run("unify");
        var after = Membership();
        var full = Run("unify", "--full", "--stats");
        var fullMembership = Membership();

        Assert.That(first.Out, Does.Contain("full: the first run; no model kept yet"));
        Assert.That(merge.Out + never.Out, Does.Contain("incremental: "));
        Assert.That(sync.Out, Does.Contain("1 new"));
        // Five rows of the ledger; the never-link's two again when it was decided in the millisecond its run started.
        Assert.That(incremental.Out, Does.Match(@"incremental: \d+ rows re-examined around [57] changed since the last run; model kept"));
        var reExamined = int.Parse(System.Text.RegularExpressions.Regex.Match(incremental.Out, @"incremental: (\d+) rows").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(reExamined, Is.InRange(4, before.Count / 4), "only the rows around the edits");
        Assert.That(full.Out, Does.Contain("full: --full asked; model kept").And.Contain("match model kept in the store"));
        Assert.That(full.Out, Does.Contain("0 clients created, 0 merged, 0 split; 0 memberships written"), "the full run changes nothing");
        Assert.That(Partition(after), Is.EqualTo(Partition(fullMembership)));
        Assert.That(Totals(incremental.Out), Is.EqualTo(Totals(full.Out)), "the incremental run's totals are the full run's");
        Assert.That(after[$"msk:{Code(10).Trim()}"], Is.EqualTo(after[$"msk:{Code(20).Trim()}"]), "the renamed row joined the row it now duplicates");
        Assert.That(after[$"msk:{Code(50).Trim()}"], Is.EqualTo(after[$"msk:{Code(60).Trim()}"]), "the same INN is one client");
        Assert.That(after, Does.ContainKey("msk:999999991"));
        Assert.That(after[byClient[singles[0]][0]], Is.EqualTo(after[byClient[singles[1]][0]]), "the merge holds");
        Assert.That(after[pair[0]], Is.Not.EqualTo(after[pair[1]]), "the never-link holds");
    }

    /// <summary>The two lines of a run's totals: counterparties, legal entities, clients; branches, groups, review pairs, issues.</summary>
    private static string Totals(string output) => string.Join("\n", output.Split('\n').Take(2));

    private CrmStore Store() => TestStores.Open(_store);

    [Test]
    public void Unify_KeptModelNotOfThisEngine_SaysItWasLearntAgain()
    {
        Run("sync");
        Run("unify");
        using (var connection = Store().Open())
        {
            // Text that reads as a model of this build but does not have the engine's fields: the engine learns afresh.
            connection.Execute("UPDATE unification_models SET model = @model",
                new { model = "{\"MatchShare\":0.01,\"Fields\":[],\"Engine\":\"" + UnificationEngine.Version + "\"}" });
        }

        ChangeLedger($"UPDATE {Counterparties} SET \"Наименование\" = \"Наименование\" || ' ', {Stamp} WHERE \"Код\" = '{Code(1)}'");
        Run("sync");
        var run = Run("unify", "--stats");
        var next = Run("unify");

        Assert.That(run.Out, Does.Contain("full: the kept model is not of this engine's comparisons, learnt again")
            .And.Contain("match model learnt from this ledger on this run, now kept in the store")
            .And.Not.Contain("model kept ("));
        Assert.That(next.Out, Does.Contain("incremental: ").And.Contain("model kept (0 of 600 counterparties changed"), "the model learnt again is kept");
    }

    // After an upgrade the engine may read or compare names otherwise: an incremental run would leave every unchanged
    // row's client as the other build made it, so the first run after it examines every row.
    [Test]
    public void Unify_KeptModelOfAnotherBuild_LearnsAgainAndExaminesEveryRow()
    {
        Run("sync");
        Run("unify");
        using (var connection = Store().Open())
        {
            var kept = System.Text.Json.Nodes.JsonNode.Parse(connection.ExecuteScalar<string>("SELECT model FROM unification_models")!)!;
            Assert.That((string?)kept["Engine"], Is.EqualTo(UnificationEngine.Version), "the model names the build that learnt it");
            kept["Engine"] = "0.0.1+an-earlier-build";
            connection.Execute("UPDATE unification_models SET model = @model", new { model = kept.ToJsonString() });
        }

        ChangeLedger($"UPDATE {Counterparties} SET \"Наименование\" = \"Наименование\" || ' ', {Stamp} WHERE \"Код\" = '{Code(1)}'");
        Run("sync");
        var run = Run("unify");
        var next = Run("unify");

        Assert.That(run.Out, Does.Contain("full: the kept model was learnt by another build of the engine, learnt again and every row examined"));
        Assert.That(next.Out, Does.Contain("incremental: ").And.Contain("model kept (0 of 600 counterparties changed"), "the model of this build is kept");
    }

    [Test]
    public void Unify_KeptModelNotReadable_SaysSoAndExaminesEveryRow()
    {
        Run("sync");
        Run("unify");
        using (var connection = Store().Open())
        {
            connection.Execute("UPDATE unification_models SET model = @model", new { model = "{\"MatchShare\": 0.01, \"Fields\": [" });
        }

        var run = Run("unify");

        Assert.That(run.Out, Does.Contain("full: the kept model could not be read, learnt again and every row examined"));
    }

    [Test]
    public void Unify_BaseChangedPastTheShare_LearnsTheModelAgain_BelowItKeepsIt()
    {
        _environment["CRMX__unification__relearnShare"] = "0.01";
        Run("sync");
        Run("unify");

        ChangeLedger($"UPDATE {Counterparties} SET \"Наименование\" = \"Наименование\" || ' ', {Stamp} WHERE \"Код\" IN ('{Code(1)}', '{Code(2)}')");
        Run("sync");
        var below = Run("unify", "--stats");
        ChangeLedger($"UPDATE {Counterparties} SET \"Наименование\" = \"Наименование\" || ' ', {Stamp} WHERE \"Код\" <= '{Code(12)}'");
        Run("sync");
        var past = Run("unify", "--stats");
        var again = Run("unify", "--stats");

        Assert.That(below.Out, Does.Contain("incremental: ").And.Contain("model kept (2 of 600 counterparties changed since it was learnt").And.Contain("match model kept in the store"));
        Assert.That(past.Out, Does.Contain("full: 12 of 600 counterparties (2.0 %) changed since the model was learnt, more than 1 %: learnt again")
            .And.Contain("match model learnt from this ledger on this run, now kept in the store"));
        Assert.That(again.Out, Does.Contain("model kept (0 of 600 counterparties changed since it was learnt").And.Contain("match model kept in the store"));
    }
}

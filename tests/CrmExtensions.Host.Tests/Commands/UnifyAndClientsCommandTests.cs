using CrmExtensions.Testing;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Commands;

public sealed class UnifyAndClientsCommandTests
{
    private TempDirectory _folder = null!;
    private string _demo = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempDirectory();
        var result = Crmx.Run(_folder.Path, "demo", "--counterparties", "600", "--seed", "7");
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        _demo = Path.Combine(_folder.Path, "crmx-demo");
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private CrmxResult Run(params string[] args) => Crmx.Run(_demo, args);

    /// <summary>Ledger row (ledger:id) → client id, from <c>crmx clients export</c>.</summary>
    private Dictionary<string, long> Membership()
    {
        var export = Run("clients", "export");
        Assert.That(export.ExitCode, Is.Zero, export.Error);
        var lines = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0].TrimEnd(), Does.StartWith("client_id,ledger,ledger_id"));
        return lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[1] + ":" + f[2], f => long.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    private void ChangeLedger(string ledger, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_demo, ledger + ".db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Test]
    public void Unify_Again_KeepsEveryClientId()
    {
        var before = Membership();

        var again = Run("unify");

        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(again.Out, Does.Contain("0 clients created, 0 merged, 0 split; 0 memberships written"));
        Assert.That(Membership(), Is.EqualTo(before));
    }

    [Test]
    public void Decisions_MergeSplitNeverLink_HoldAfterLedgerChangesSyncAndUnify()
    {
        var before = Membership();
        var byClient = before.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Key).Order(StringComparer.Ordinal).ToList());
        var singles = byClient.Where(c => c.Value.Count == 1).Select(c => c.Key).Take(2).ToList();
        var big = byClient.Where(c => c.Value.Count >= 3).Select(c => c.Key).First();
        var pair = byClient.Where(c => c.Value.Count >= 2 && c.Key != big).Select(c => c.Value).First();
        var splitOff = byClient[big][^1];

        Assert.That(Run("clients", "merge", singles[0].ToString(), singles[1].ToString(), "--note", "one owner").ExitCode, Is.Zero);
        Assert.That(Run("clients", "split", big.ToString(), splitOff).ExitCode, Is.Zero);
        Assert.That(Run("clients", "never-link", pair[0], pair[1]).ExitCode, Is.Zero);
        var decided = Membership();
        ChangeLedger("msk", """
            INSERT INTO "Справочник Контрагенты" ("Код", "Наименование", "ИНН", "Город", "Изменено") VALUES ('999999991', 'ООО «Новый клиент»', '7707083893', 'Москва', '2999-01-01 00:00:00');
            UPDATE "Справочник Контрагенты" SET "Наименование" = "Наименование" || ' ', "Изменено" = '2999-01-01 00:00:00' WHERE "Код" = (SELECT MIN("Код") FROM "Справочник Контрагенты");
            """);

        var sync = Run("sync");
        var unify = Run("unify");
        var after = Membership();

        Assert.That(sync.Out, Does.Contain("1 new"));
        Assert.That(unify.ExitCode, Is.Zero, unify.Error);
        Assert.That(decided[byClient[singles[0]][0]], Is.EqualTo(decided[byClient[singles[1]][0]]), "merge applied");
        Assert.That(after[byClient[singles[0]][0]], Is.EqualTo(after[byClient[singles[1]][0]]), "merge holds");
        Assert.That(after[splitOff], Is.Not.EqualTo(after[byClient[big][0]]), "split holds");
        Assert.That(after[byClient[big][0]], Is.EqualTo(big), "the larger part keeps the id");
        Assert.That(after[pair[0]], Is.Not.EqualTo(after[pair[1]]), "never-link holds");
        var untouched = decided.Keys.Where(k => after.ContainsKey(k)).ToList();
        Assert.That(untouched.Where(k => after[k] != decided[k]), Is.Empty, "no id changed through the ledger change");
        Assert.That(after, Does.ContainKey("msk:999999991"));
    }

    [Test]
    public void Undo_MergeDecision_SeparatesTheClientsAgain()
    {
        var byClient = Membership().GroupBy(p => p.Value).Where(g => g.Count() == 1).Select(g => g.Single().Key).Take(2).ToList();
        Run("clients", "merge", byClient[0], byClient[1]);
        var merged = Membership();
        var decisions = Run("clients", "decisions");
        var id = decisions.Out.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

        var undo = Run("clients", "undo", id);

        Assert.That(merged[byClient[0]], Is.EqualTo(merged[byClient[1]]));
        Assert.That(undo.ExitCode, Is.Zero, undo.Error);
        var after = Membership();
        Assert.That(after[byClient[0]], Is.Not.EqualTo(after[byClient[1]]));
        Assert.That(Run("clients", "decisions", "--all").Out, Does.Contain("(undone"));
    }

    [Test]
    public void ShowAndExplain_ByInn_PrintEntitiesAndLinks()
    {
        var show = Run("clients", "show", "1");
        var explain = Run("clients", "explain", "1");

        Assert.That(show.ExitCode, Is.Zero, show.Error);
        Assert.That(show.Out, Does.StartWith("Client 1: ").And.Contain("ИНН"));
        Assert.That(explain.Out, Does.StartWith("Client 1: "));
    }

    [Test]
    public void Show_UnknownClient_SaysWhatItAccepts()
    {
        var result = Run("clients", "show", "no such firm at all");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("No client matches 'no such firm at all'"));
    }

    [Test]
    public void Split_MemberOfAnotherClient_IsRefused()
    {
        var membership = Membership();
        var (key, client) = membership.First();
        var other = membership.First(p => p.Value != client).Value;

        var result = Run("clients", "split", other.ToString(), key);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain($"{key} is not a member of client {other}"));
    }
}

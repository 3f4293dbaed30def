using CrmExtensions.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Clients;

/// <summary>
/// Mirrored invoices and payments carry their counterparty's current client and legal entity (migration 9): after every
/// sync and every unification, the kept keys equal a recomputation from scratch through <c>client_members</c>.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ClientKeyedMoneyTests(DatabaseProvider provider)
{
    private SyncedDemo _synced = null!;
    private string _demo = null!;

    [SetUp]
    public void BuildTheSampleAndItsStore()
    {
        _synced = SyncedDemo.Create(provider, counterparties: 500, seed: 5);
        _demo = _synced.Folder;
    }

    [TearDown]
    public void Clean() => _synced?.Dispose();

    private CrmxResult Succeed(params string[] args) => _synced.Succeed(args);

    private System.Data.Common.DbConnection OpenStore() => _synced.OpenStore();

    /// <summary>Rows whose kept client or legal entity differs from the one their counterparty's membership gives now.</summary>
    private List<string> Drift()
    {
        using var connection = OpenStore();
        var drift = new List<string>();
        foreach (var table in new[] { "mirror_invoices", "mirror_payments" })
        {
            drift.AddRange(connection.Query<(string Ledger, string Id, long? Kept, long? Member, string? KeptEntity, string? MemberEntity)>(
                $"SELECT t.ledger, t.ledger_id, t.client_id, m.client_id, t.legal_entity, m.legal_entity FROM {table} t " +
                "LEFT JOIN client_members m ON m.ledger = t.ledger AND m.ledger_id = t.counterparty_id")
                .Where(r => r.Kept != r.Member || r.KeptEntity != r.MemberEntity)
                .Select(r => $"{table} {r.Ledger}:{r.Id} keeps {r.Kept}/{r.KeptEntity}, membership says {r.Member}/{r.MemberEntity}"));
        }

        return drift;
    }

    /// <summary>Revenue per (client, month) from the kept keys and recomputed through the membership.</summary>
    private (Dictionary<string, long> Kept, Dictionary<string, long> Recomputed) MonthlyRevenue()
    {
        using var connection = OpenStore();
        var kept = connection.Query<(long? Client, string Month, long Amount)>(
            "SELECT client_id, SUBSTRING(issued_on, 1, 7), CAST(SUM(amount) AS BIGINT) FROM mirror_invoices WHERE vanished_at IS NULL GROUP BY client_id, SUBSTRING(issued_on, 1, 7)")
            .ToDictionary(r => $"{r.Client}/{r.Month}", r => r.Amount);
        var recomputed = connection.Query<(long? Client, string Month, long Amount)>(
            "SELECT m.client_id, SUBSTRING(i.issued_on, 1, 7), CAST(SUM(i.amount) AS BIGINT) FROM mirror_invoices i LEFT JOIN client_members m " +
            "ON m.ledger = i.ledger AND m.ledger_id = i.counterparty_id WHERE i.vanished_at IS NULL GROUP BY m.client_id, SUBSTRING(i.issued_on, 1, 7)")
            .ToDictionary(r => $"{r.Client}/{r.Month}", r => r.Amount);
        return (kept, recomputed);
    }

    private void AssertKeysExact(string after)
    {
        Assert.That(Drift(), Is.Empty, after);
        var (kept, recomputed) = MonthlyRevenue();
        Assert.That(kept, Is.EquivalentTo(recomputed), after);
    }

    private Dictionary<string, long> Membership()
    {
        using var connection = OpenStore();
        return connection.Query<(string Ledger, string Id, long Client)>("SELECT ledger, ledger_id, client_id FROM client_members")
            .ToDictionary(r => r.Ledger + ":" + r.Id, r => r.Client);
    }

    /// <summary>Members that have invoices, grouped by client.</summary>
    private Dictionary<long, List<string>> ClientsWithInvoices()
    {
        using var connection = OpenStore();
        return connection.Query<(long Client, string Ledger, string Id)>(
            "SELECT DISTINCT m.client_id, m.ledger, m.ledger_id FROM client_members m JOIN mirror_invoices i ON i.ledger = m.ledger AND i.counterparty_id = m.ledger_id")
            .GroupBy(r => r.Client).ToDictionary(g => g.Key, g => g.Select(r => r.Ledger + ":" + r.Id).Order(StringComparer.Ordinal).ToList());
    }

    private void ChangeLedger(string ledger, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_demo, ledger + ".db")};Pooling=False");
        connection.Open();
        connection.Execute(sql);
    }

    [Test]
    public void Sync_NewChangedAndVanishedInvoicesAndPayments_KeysEqualTheMembership()
    {
        AssertKeysExact("after the first sync and unify");
        ChangeLedger("msk", """
            CREATE TEMP TABLE inv AS SELECT * FROM "Документ Реализация" WHERE "Проведен" = 1 ORDER BY "Ссылка" LIMIT 1;
            UPDATE inv SET "Ссылка" = 900000001, "Изменено" = '2999-01-01 00:00:00';
            INSERT INTO "Документ Реализация" SELECT * FROM inv;
            UPDATE "Документ Реализация" SET "Контрагент" = (SELECT MAX("Контрагент") FROM "Документ Реализация"), "СуммаДокумента" = "СуммаДокумента" + 100,
                "Изменено" = '2999-01-01 00:00:00' WHERE "Ссылка" = (SELECT MIN("Ссылка") FROM "Документ Реализация" WHERE "Проведен" = 1 AND "Контрагент" <> (SELECT MAX("Контрагент") FROM "Документ Реализация"));
            DELETE FROM "Документ Реализация" WHERE "Ссылка" = (SELECT MAX("Ссылка") FROM "Документ Реализация" WHERE "Проведен" = 1 AND "Ссылка" <> 900000001);
            CREATE TEMP TABLE pay AS SELECT * FROM "Документ Поступление Оплаты" ORDER BY "Ссылка" LIMIT 1;
            UPDATE pay SET "Ссылка" = 900000002, "Изменено" = '2999-01-01 00:00:00';
            INSERT INTO "Документ Поступление Оплаты" SELECT * FROM pay;
            UPDATE "Документ Поступление Оплаты" SET "Контрагент" = (SELECT MAX("Контрагент") FROM "Документ Реализация"), "Изменено" = '2999-01-01 00:00:00'
                WHERE "Ссылка" = (SELECT MIN("Ссылка") FROM "Документ Поступление Оплаты" WHERE "Ссылка" <> 900000002);
            DELETE FROM "Документ Поступление Оплаты" WHERE "Ссылка" = (SELECT MAX("Ссылка") FROM "Документ Поступление Оплаты" WHERE "Ссылка" <> 900000002);
            INSERT INTO "Справочник Контрагенты" ("Код", "Наименование", "ИНН", "Город", "Изменено") VALUES ('999999991', 'ООО «Новый клиент»', '7707083893', 'Москва', '2999-01-01 00:00:00');
            UPDATE "Документ Реализация" SET "Контрагент" = '999999991', "Изменено" = '2999-01-01 00:00:00' WHERE "Ссылка" = 900000001;
            """);

        var sync = Succeed("sync");

        Assert.That(sync.Out, Does.Contain("vanished"));
        AssertKeysExact("after a sync with new, changed and vanished invoices and payments");
        using (var connection = OpenStore())
        {
            Assert.That(connection.ExecuteScalar<long?>("SELECT client_id FROM mirror_invoices WHERE ledger = 'msk' AND ledger_id = '900000001'"), Is.Null,
                "the invoice of a counterparty in no client yet has no client");
        }

        Succeed("unify");

        AssertKeysExact("after unifying the new counterparty");
        using (var connection = OpenStore())
        {
            Assert.That(connection.ExecuteScalar<long?>("SELECT client_id FROM mirror_invoices WHERE ledger = 'msk' AND ledger_id = '900000001'"), Is.Not.Null);
        }
    }

    [Test]
    public void Unify_MergeSplitNeverLinkAndUndo_KeysEqualTheMembershipAfterEach()
    {
        var byClient = ClientsWithInvoices();
        var singles = byClient.Where(c => c.Value.Count == 1).Select(c => c.Key).Take(2).ToList();
        var big = byClient.Where(c => c.Value.Count >= 3).Select(c => c.Key).First();
        var pair = byClient.Where(c => c.Value.Count >= 2 && c.Key != big).Select(c => c.Value).First();

        Succeed("clients", "merge", singles[0].ToString(System.Globalization.CultureInfo.InvariantCulture), singles[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(Membership()[byClient[singles[0]][0]], Is.EqualTo(Membership()[byClient[singles[1]][0]]), "merged");
        AssertKeysExact("after a merge");

        Succeed("clients", "split", big.ToString(System.Globalization.CultureInfo.InvariantCulture), byClient[big][^1]);
        Assert.That(Membership()[byClient[big][^1]], Is.Not.EqualTo(big), "split");
        AssertKeysExact("after a split");

        Succeed("clients", "never-link", pair[0], pair[1]);
        Assert.That(Membership()[pair[0]], Is.Not.EqualTo(Membership()[pair[1]]), "never linked");
        AssertKeysExact("after a never-link");

        var decisions = Succeed("clients", "decisions").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var mergeDecision = decisions.First(l => l.Contains("merge", StringComparison.Ordinal)).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        Succeed("clients", "undo", mergeDecision);
        Assert.That(Membership()[byClient[singles[0]][0]], Is.Not.EqualTo(Membership()[byClient[singles[1]][0]]), "undone");
        AssertKeysExact("after undoing the merge");
    }
}

using Dapper;

namespace CrmExtensions.Ledger.Tests.Sync;

/// <summary>The mirror writer keeps <c>birthday_md</c> (migration 28) with every birthday it writes.</summary>
public sealed partial class LedgerSynchronizerTests
{
    private Dictionary<string, string?> MonthDays(string table)
    {
        using var connection = _store.Open();
        return connection.Query<(string Id, string? Md)>($"SELECT ledger_id, birthday_md FROM {table}").ToDictionary(r => r.Id, r => r.Md);
    }

    [Test]
    public void Sync_Birthdays_WritesEachOnesMonthAndDay()
    {
        BirthdayLedger.AddTo(_ledger);

        Sync();

        Assert.That(MonthDays("mirror_counterparties"), Is.EquivalentTo(new Dictionary<string, string?> { ["0001"] = null, ["0002"] = "12-04", ["0003"] = "06-15" }));
        Assert.That(MonthDays("mirror_contacts"), Is.EquivalentTo(new Dictionary<string, string?> { ["K1"] = "03-01", ["K2"] = null, ["K3"] = "02-29" }));
    }

    [Test]
    public void Sync_BirthdaysAddedChangedAndRemoved_KeepsTheMonthAndDayWithThem()
    {
        BirthdayLedger.AddTo(_ledger);
        Sync();
        _ledger.Execute("""
            UPDATE "Counter Party" SET born = '31.01.1985' WHERE code = '0001 ';
            UPDATE "Counter Party" SET born = '1980-12-05' WHERE code = '0002 ';
            UPDATE "Counter Party" SET born = NULL WHERE code = '0003 ';
            UPDATE contact SET born = NULL WHERE id = 'K1';
            UPDATE contact SET born = '2001-11-30' WHERE id = 'K2';
            UPDATE contact SET born = '1988-02-28' WHERE id = 'K3';
            INSERT INTO contact VALUES ('K4', '0003 ', 'Смирнов Олег', '1999-10-10');
            """);

        Sync();

        Assert.That(MonthDays("mirror_counterparties"), Is.EquivalentTo(new Dictionary<string, string?> { ["0001"] = "01-31", ["0002"] = "12-05", ["0003"] = null }));
        Assert.That(MonthDays("mirror_contacts"), Is.EquivalentTo(new Dictionary<string, string?> { ["K1"] = null, ["K2"] = "11-30", ["K3"] = "02-28", ["K4"] = "10-10" }));
    }
}

/// <summary>Birthdays in the test ledger: of counterparties (as of sole proprietors) and of contact persons, one on 29 February.</summary>
internal static class BirthdayLedger
{
    public const string Mapping = """
        {
          "counterparties": { "query": "SELECT code AS ledger_id, title AS name, inn AS tax_id, born AS birthday FROM \"Counter Party\"" },
          "contacts": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, name AS full_name, born AS birthday FROM contact" }
        }
        """;

    /// <summary>Adds the birthdays to a test ledger and maps them.</summary>
    public static void AddTo(TestLedger ledger)
    {
        File.WriteAllText(ledger.MappingPath, Mapping);
        ledger.Execute("""
            ALTER TABLE "Counter Party" ADD born TEXT;
            UPDATE "Counter Party" SET born = '1980-12-04' WHERE code = '0002 ';
            UPDATE "Counter Party" SET born = '1990-06-15' WHERE code = '0003 ';
            CREATE TABLE contact (id TEXT PRIMARY KEY, cp TEXT NOT NULL, name TEXT NOT NULL, born TEXT);
            INSERT INTO contact VALUES ('K1', '0001 ', 'Иванов Иван Иванович', '1975-03-01');
            INSERT INTO contact VALUES ('K2', '0001 ', 'Кузнецова Анна', NULL);
            INSERT INTO contact VALUES ('K3', '0002 ', 'Петрова Мария', '1988-02-29');
            """);
    }
}

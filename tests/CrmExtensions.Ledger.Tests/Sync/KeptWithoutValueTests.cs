using CrmExtensions.Ledger.Checking;
using CrmExtensions.Ledger.Sync;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Ledger.Tests.Sync;

/// <summary>A value that only describes a row (a birthday) and cannot be read costs the value, not the row.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class KeptWithoutValueTests(DatabaseProvider provider)
{
    private const string Mapping = """
        {
          "counterparties": {
            "query": "SELECT code AS ledger_id, title AS name, inn AS tax_id, born AS birthday FROM \"Counter Party\""
          }
        }
        """;

    [Test]
    public void Sync_BirthdayThatIsNoDay_KeepsTheRowWithoutItAndSaysSo()
    {
        using var database = TestDatabase.Create(provider);
        using var ledger = Ledger();
        var store = TestStores.Create(database);

        var result = new LedgerSynchronizer(store).Sync([ledger.Definition()]).Single(k => k.Kind == "counterparties");

        using var connection = store.Open();
        var birthdays = connection.Query<(string Id, string? Birthday)>("SELECT ledger_id, birthday FROM mirror_counterparties")
            .ToDictionary(r => r.Id, r => r.Birthday);
        var noted = connection.Query<(string Id, string Column, string Value, string Message)>(
            "SELECT ledger_id, column_name, value, message FROM sync_rejects").Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Counts.Rejected, Is.Zero, "no row was rejected");
            Assert.That(birthdays.Keys, Is.EquivalentTo(new[] { "0001", "0002", "0003" }));
            Assert.That(birthdays["0001"], Is.Null, "the 33rd of December is no day");
            Assert.That(birthdays["0003"], Is.EqualTo("1980-05-12"));
            Assert.That(noted, Is.EqualTo(("0001", "birthday", "19371233", "not a date (expected yyyy-MM-dd, dd.MM.yyyy or an ISO timestamp); the row is kept without it")));
            Assert.That(result.Rejects.Single().Kept, Is.True);
        });
    }

    [Test]
    public void Check_BirthdayThatIsNoDay_IsAWarningNotAProblem()
    {
        using var ledger = Ledger();

        var result = AttachChecker.Check([ledger.Definition()], 100);

        Assert.Multiple(() =>
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Warnings.Select(w => w.ToString()), Has.One.Contains("ledger_id=0001").And.Contains("'19371233'").And.Contains("kept without it"));
        });
    }

    private static TestLedger Ledger()
    {
        var ledger = new TestLedger(mapping: Mapping);
        ledger.Execute("""
            ALTER TABLE "Counter Party" ADD born TEXT;
            UPDATE "Counter Party" SET born = '19371233' WHERE code = '0001 ';
            UPDATE "Counter Party" SET born = '1980-05-12' WHERE code = '0003 ';
            """);
        return ledger;
    }
}

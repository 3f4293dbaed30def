using CrmExtensions.Ledger.Connections;

namespace CrmExtensions.Ledger.Tests.Connections;

public sealed class LedgerFingerprintTests
{
    [TestCase("DELETE")]
    [TestCase("WAL")]
    public void Of_SqliteLedger_ChangesWithEveryCommitAndOnlyThen(string journalMode)
    {
        using var ledger = new TestLedger();
        ledger.Execute($"PRAGMA journal_mode={journalMode}; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a')");
        var before = LedgerFingerprint.Of(ledger.Definition());

        var again = LedgerFingerprint.Of(ledger.Definition());
        ledger.Execute("UPDATE t SET v = 'b'");
        var afterOne = LedgerFingerprint.Of(ledger.Definition());
        ledger.Execute("UPDATE t SET v = 'c'");
        var afterTwo = LedgerFingerprint.Of(ledger.Definition());

        Assert.That(before, Is.Not.Null);
        Assert.That(again, Is.EqualTo(before), "nothing committed, nothing changed");
        Assert.That(afterOne, Is.Not.EqualTo(before));
        Assert.That(afterTwo, Is.Not.EqualTo(afterOne), "a second commit of the same size changes it too");
    }

    [Test]
    public void Of_PostgresLedger_IsNone()
    {
        using var ledger = new TestLedger();
        var postgres = ledger.Definition() with { Provider = Store.Providers.DatabaseProvider.PostgreSql, ConnectionString = "Host=127.0.0.1;Database=erp" };

        Assert.That(LedgerFingerprint.Of(postgres), Is.Null);
    }
}

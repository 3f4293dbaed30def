using System.Globalization;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary><c>crmx clients show</c>: the dossier of a client over all its legal entities and branches.</summary>
public sealed class DossierWriterTests
{
    [Test]
    public void Show_ClientWithSeveralMembers_PrintsEverySectionWithTotalsAcrossMembers()
    {
        using var folder = new TempDirectory();
        Assert.That(Crmx.Run(folder.Path, "demo", "--counterparties", "1000", "--seed", "4").ExitCode, Is.Zero);
        var demo = Path.Combine(folder.Path, "crmx-demo");
        using var store = new SqliteConnection($"Data Source={Path.Combine(demo, "crm.db")}");
        // The client with the most ledger rows, and the invoices of all its rows summed directly from the mirror.
        var client = store.ExecuteScalar<long>("SELECT client_id FROM clients ORDER BY members DESC, client_id LIMIT 1");
        var member = store.QueryFirst<(string Ledger, string LedgerId)>("SELECT ledger, ledger_id FROM client_members WHERE client_id = @client ORDER BY ledger, ledger_id", new { client });
        var (count, amount) = store.QuerySingle<(long, long)>("SELECT COUNT(*), SUM(i.base_amount) FROM mirror_invoices i JOIN client_members m ON m.ledger = i.ledger AND m.ledger_id = i.counterparty_id WHERE m.client_id = @client", new { client });
        store.Execute("INSERT INTO deals (deal_id, plugin_id, pipeline, stage, title, amount, ledger, counterparty_id, created_at, updated_at, client_id) " +
            "VALUES ('d1', 'test', 'sales', 'qualified', 'Поставка кабеля', 12345670000, @Ledger, @LedgerId, '2026-01-10T10:00:00.000Z', '2026-01-12T10:00:00.000Z', @client)", new { member.Ledger, member.LedgerId, client });
        store.Execute("INSERT INTO reminders (plugin_id, reminder_key, title, due_on, ledger, counterparty_id, created_at, status, client_id) " +
            "VALUES ('test', 'r1', 'Перезвонить по счёту', '2026-01-20', @Ledger, @LedgerId, '2026-01-15T10:00:00.000Z', 'open', @client)", new { member.Ledger, member.LedgerId, client });
        store.Execute("INSERT INTO reminders (plugin_id, reminder_key, title, due_on, ledger, counterparty_id, created_at, status, client_id) " +
            "VALUES ('test', 'r2', 'Уже сделано', '2026-01-18', @Ledger, @LedgerId, '2026-01-15T10:00:00.000Z', 'done', @client)", new { member.Ledger, member.LedgerId, client });
        var stage = store.ExecuteScalar<string?>("SELECT value FROM client_tags WHERE client_id = @client AND name = 'lifecycle.stage'", new { client });
        Assert.That(Crmx.Run(demo, "activity", "add", "--client", client.ToString(CultureInfo.InvariantCulture), "--type", "call",
            "--subject", "Позвонил, обсудили отгрузку", "--at", "2026-01-15T10:00").ExitCode, Is.Zero);

        var result = Crmx.Run(demo, "clients", "show", client.ToString(CultureInfo.InvariantCulture), "--as-of", "2026-01-19");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var ru = CultureInfo.GetCultureInfo("ru-RU");
        Assert.That(result.Out, Does.StartWith($"Client {client}: "));
        Assert.That(result.Out, Does.Contain($"    head   {member.Ledger}:{member.LedgerId}").Or.Contain($"    branch {member.Ledger}:{member.LedgerId}"));
        Assert.That(result.Out, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"  Invoices: {count:N0} for {(amount / 10_000m).ToString("N2", ru)} ₽; paid ")));
        Assert.That(result.Out, Does.Contain("  Payments: "));
        Assert.That(result.Out, Does.Contain($"    Поставка кабеля  [sales: qualified]  {1_234_567m.ToString("N2", ru)} ₽  updated 2026-01-12T10:00:00.000Z"));
        Assert.That(result.Out, Does.Contain("Last contact:").And.Contain("Позвонил, обсудили отгрузку"));
        Assert.That(result.Out, Does.Contain("    2026-01-20  Перезвонить по счёту  [test]").And.Not.Contain("Уже сделано"), "open reminders only");
        Assert.That(result.Out, Does.Contain($"stage: {stage ?? "—"}"));
        Assert.That(stage, Is.Not.Null, "the demo's Lifecycle plugin tags every client");
        Assert.That(result.Out, Does.Contain("  Why these are one client ("));
        Assert.That(result.Out, Does.Match(@"manager: \S"));
    }

    [TestCase("1990-03-10", "2026-03-09", "  birthday 10.03 — tomorrow")]
    [TestCase("1990-03-10", "2026-03-10", "  birthday 10.03 — today!")]
    [TestCase("1990-03-10", "2026-02-20", "  birthday 10.03 — in 18 days")]
    [TestCase("1990-03-10", "2026-01-01", "  birthday 10.03")]
    [TestCase("1992-02-29", "2027-02-27", "  birthday 29.02 — tomorrow")]
    [TestCase("1990-01-05", "2026-12-30", "  birthday 05.01 — in 6 days")]
    [TestCase(null, "2026-12-30", "")]
    public void Birthday_DaysAhead_SaysHowSoon(string? birthday, string asOf, string expected) =>
        Assert.That(Host.Rendering.DossierWriter.Birthday(birthday, DateOnly.Parse(asOf, CultureInfo.InvariantCulture)), Is.EqualTo(expected));
}

using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary>SDK 1.2: an event carries the document it is about — the invoice, the payment's counterparty row, the deal —
/// read by the host when it delivers the event, through the real loader and a real sync.</summary>
public sealed class EventPayloadTests
{
    [Test]
    public void RunOnce_InvoicePaidNewCounterpartyAndDealMoves_HandlersGetTheDocumentWithTheEvent()
    {
        using var ledger = new SmallLedger();
        ledger.InstallShippedPlugins("CrmExtensions.Plugins.Sales");
        ReminderWorkspace.InstallPlugin(Path.Combine(ledger.Folder, "plugins"), "Payloads");
        ledger.Succeed("run", "--once");

        ledger.Change("""
            UPDATE inv SET paid = amount WHERE id = 'I1';
            INSERT INTO cp VALUES ('4', 'ООО «Новая заря»', '7701234567', '770101001', 'Москва');
            """);
        var number = ledger.Succeed("deals", "add", "--client", SmallLedger.VectorInn, "--title", "Поставка насосов", "--pipeline", "sales").Out.Split(' ')[2];
        ledger.Succeed("deals", "move", number, "--to", "offer", "--by", "Петров");
        ledger.Succeed("run", "--once");

        var said = Said(ledger, out var deal);
        Assert.That(said.GetValueOrDefault("invoice.paid main/I1"), Does.Match(@"^invoice СЧ-17 120000\.50 settled \d{4}-\d\d-\d\d$"));
        Assert.That(said.GetValueOrDefault("counterparty.created main/4"), Is.EqualTo("counterparty ООО «Новая заря» 7701234567"));
        Assert.That(said.GetValueOrDefault($"deal.moved /{deal}"), Does.StartWith("deal Поставка насосов in offer (").And.Contain("\"from\":\"lead\"").And.Contain("\"to\":\"offer\"").And.Contain("\"by\":\"Петров\""));
        Assert.That(said.GetValueOrDefault($"deal.opened /{deal}"), Does.StartWith("deal Поставка насосов in offer ("),
            "the deal as it is when the event is delivered");
    }

    private static Dictionary<string, string> Said(SmallLedger ledger, out string deal)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(ledger.Folder, "crm.db")};Pooling=False");
        deal = connection.ExecuteScalar<string>("SELECT deal_id FROM deals WHERE number = 1")!;
        return connection.Query<(string Key, string Value)>("SELECT data_key, value FROM plugin_data WHERE plugin_id = 'Test.Payloads'")
            .ToDictionary(r => r.Key, r => r.Value);
    }
}

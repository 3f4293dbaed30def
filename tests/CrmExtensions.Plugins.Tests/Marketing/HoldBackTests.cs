using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Plugins.Tests.Marketing;

/// <summary>
/// No offer to a client with problems, on the sample ledgers synced into a real store: the Receivables plugin's dunning
/// letters are queued and sent for a client with overdue invoices, while a campaign holds the client back and lists it;
/// an open complaint holds back, a complaint with an outcome does not; the threshold is a setting.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
[NonParallelizable]
public sealed class HoldBackTests(DatabaseProvider provider)
{
    private static readonly DateOnly AsOf = new(2025, 12, 31);
    private static readonly DateOnly EnergyDay = new(2025, 12, 22);

    private SampleWorkspace _workspace = null!;
    private long _debtor;
    private long _overdue;
    private long _complaining;
    private long _resolved;
    private string _send = "";

    [OneTimeSetUp]
    public void SendWithDunningAndComplaints()
    {
        _workspace = SampleWorkspace.Create(provider, AsOf);
        MarketingWorkspace.EnableMarketingMail(_workspace);
        ShippedPlugins.Install(_workspace.Path, ShippedPlugins.Receivables, ShippedPlugins.Greetings);
        // Energy Day: the Greetings plugin's holiday mail (marketing, naming its client) goes to every client with an address.
        MarketingWorkspace.Ok(_workspace, EnergyDay, "reminders", "run");
        MarketingWorkspace.Ok(_workspace, AsOf, "reminders", "run");

        using var connection = _workspace.Store.Open();
        // The debtor: a client the dunning rule wrote letters to, with its overdue debt summed here from its members' invoices.
        _debtor = connection.Query<long>(
            "SELECT m.client_id FROM outbox o JOIN mirror_invoices i ON o.business_key LIKE 'dunning:' || i.ledger || '/' || i.ledger_id || ':%' " +
            "JOIN client_members m ON m.ledger = i.ledger AND m.ledger_id = i.counterparty_id ORDER BY m.client_id").First();
        _overdue = connection.Query<(string Due, long Open)>(
            "SELECT COALESCE(i.due_on, i.issued_on) AS Due, i.amount - COALESCE(i.paid_amount, 0) AS Open FROM mirror_invoices i " +
            "JOIN client_members m ON m.ledger = i.ledger AND m.ledger_id = i.counterparty_id WHERE m.client_id = @id AND i.vanished_at IS NULL AND i.settled_on IS NULL",
            new { id = _debtor }).Where(r => string.CompareOrdinal(r.Due, "2025-12-31") < 0 && r.Open > 0).Sum(r => r.Open);

        // Two clients without overdue debt whom the campaign would mail: one complains (open), one complained and was answered.
        var calm = connection.Query<long>(
            "SELECT c.client_id FROM clients c WHERE c.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM mirror_invoices i WHERE i.client_id = c.client_id " +
            "AND i.vanished_at IS NULL AND i.settled_on IS NULL AND i.amount > COALESCE(i.paid_amount, 0) AND COALESCE(i.due_on, i.issued_on) < '2025-12-31') ORDER BY c.client_id").ToList();
        var addressed = calm.Where(id => MarketingWorkspace.Run(_workspace, AsOf, null, "campaign", "preview", MarketingWorkspace.StatementPack, "--client",
            id.ToString(CultureInfo.InvariantCulture)).Code == 0).Take(2).ToList();
        Assert.That(addressed, Has.Count.EqualTo(2), "two clients without overdue debt and with an address");
        (_complaining, _resolved) = (addressed[0], addressed[1]);
        MarketingWorkspace.Ok(_workspace, AsOf, "activity", "add", "--client", _complaining.ToString(CultureInfo.InvariantCulture), "--type", "жалоба",
            "--subject", "Привезли не тот товар");
        MarketingWorkspace.Ok(_workspace, AsOf, "activity", "add", "--client", _resolved.ToString(CultureInfo.InvariantCulture), "--type", "complaint",
            "--subject", "Задержка поставки", "--outcome", "заменили, клиент доволен");

        _send = MarketingWorkspace.Ok(_workspace, AsOf, "campaign", "send", MarketingWorkspace.StatementPack, "--id", "offer", "--holdout", "0");
        MarketingWorkspace.Ok(_workspace, AsOf, "mail", "dispatch", "--once");
    }

    [OneTimeTearDown]
    public void TearDown() => _workspace?.Dispose();

    private List<(long? ClientId, string Status)> CampaignMail(string campaign)
    {
        using var connection = _workspace.Store.Open();
        return connection.Query<(long? ClientId, string Status)>("SELECT client_id AS ClientId, status AS Status FROM outbox WHERE source = @source",
            new { source = "campaign:" + campaign }).ToList();
    }

    [Test]
    public void Send_ClientWithOverdueInvoices_GetsNoCampaignMailAndIsListedAsHeldBack()
    {
        Assert.That(_overdue, Is.Positive, "the debtor owes past due");
        Assert.That(CampaignMail("offer").Select(m => m.ClientId), Does.Not.Contain(_debtor));
        Assert.That(CampaignMail("offer"), Is.Not.Empty, "clients without problems are mailed");
        Assert.That(_send, Does.Contain($"  {_debtor}: overdue"));
        var status = MarketingWorkspace.Ok(_workspace, AsOf, "campaign", "status", "offer");
        Assert.That(status, Does.Match($@"held back: unresolved problems: [1-9]").And.Contain($"  {_debtor}: overdue"));
    }

    [Test]
    public void Send_ClientWithOverdueInvoices_ItsDunningLettersStillGoOut()
    {
        using var connection = _workspace.Store.Open();
        var dunning = connection.Query<string>(
            "SELECT o.status FROM outbox o JOIN mirror_invoices i ON o.business_key LIKE 'dunning:' || i.ledger || '/' || i.ledger_id || ':%' " +
            "JOIN client_members m ON m.ledger = i.ledger AND m.ledger_id = i.counterparty_id WHERE m.client_id = @id", new { id = _debtor }).ToList();
        Assert.That(dunning, Is.Not.Empty.And.All.EqualTo("sent"), "transactional mail is not held back");
    }

    [Test]
    public void PluginMarketingMail_ClientWithOverdueDebt_IsWithheldWhileOthersAreQueued()
    {
        using var connection = _workspace.Store.Open();
        var greetings = connection.Query<(long ClientId, string Status)>(
            "SELECT client_id AS ClientId, status AS Status FROM outbox WHERE business_key LIKE 'holiday:%' AND client_id IS NOT NULL").ToList();
        var owing = connection.Query<long>(
            "SELECT DISTINCT m.client_id FROM mirror_invoices i JOIN client_members m ON m.ledger = i.ledger AND m.ledger_id = i.counterparty_id " +
            "WHERE i.vanished_at IS NULL AND i.settled_on IS NULL AND i.amount > COALESCE(i.paid_amount, 0) " +
            "AND COALESCE(i.due_on, i.issued_on) < '2025-12-22' AND i.issued_on <= '2025-12-22'").ToHashSet();

        Assert.That(greetings.Where(g => g.Status == "withheld").Select(g => g.ClientId), Is.Not.Empty.And.EquivalentTo(greetings.Select(g => g.ClientId).Where(owing.Contains)));
        Assert.That(greetings.Where(g => !owing.Contains(g.ClientId)).Select(g => g.Status), Is.Not.Empty.And.All.Not.EqualTo("withheld"));
    }

    [Test]
    public void Send_OpenComplaint_HoldsBackAndAnsweredComplaintDoesNot()
    {
        var mailed = CampaignMail("offer").Select(m => m.ClientId).ToList();
        Assert.That(mailed, Does.Not.Contain(_complaining));
        Assert.That(mailed, Does.Contain(_resolved));
        Assert.That(_send, Does.Contain($"  {_complaining}: 1 open complaint(s)"));
    }

    [Test]
    public void Send_ThresholdAboveTheDebt_DoesNotHoldTheDebtorBack()
    {
        var above = (_overdue / 10_000m + 1).ToString(CultureInfo.InvariantCulture);
        var (code, output, error) = MarketingWorkspace.Run(_workspace, AsOf, new Dictionary<string, string> { ["CRMX__marketing__overdueThreshold"] = above },
            "campaign", "send", MarketingWorkspace.StatementPack, "--id", "tolerant", "--holdout", "0", "--dry-run");
        var (offCode, off, _) = MarketingWorkspace.Run(_workspace, AsOf, new Dictionary<string, string> { ["CRMX__marketing__holdBackProblems"] = "false" },
            "campaign", "send", MarketingWorkspace.StatementPack, "--id", "tolerant", "--holdout", "0", "--dry-run");

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Not.Contain($"  {_debtor}: overdue"));
        Assert.That(offCode, Is.Zero);
        Assert.That(off, Does.Contain("Held back: unresolved problems: 0 client(s)."));
    }

    [Test]
    public void Holdout_DefaultTenPercent_IsTheDocumentedHashAndNeverMailed()
    {
        MarketingWorkspace.Ok(_workspace, AsOf, "campaign", "send", MarketingWorkspace.StatementPack, "--id", "tenth");
        var groups = MarketingWorkspace.Groups(_workspace, "tenth");
        var drawn = groups.Where(g => g.Value != "held").ToList();
        static bool Control(string campaign, long client)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(campaign + "\n" + client.ToString(CultureInfo.InvariantCulture)));
            return BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0 < 0.10;
        }

        Assert.That(drawn.Where(g => g.Value == "control").Select(g => g.Key), Is.EquivalentTo(drawn.Where(g => Control("tenth", g.Key)).Select(g => g.Key)));
        var sigma = Math.Sqrt(drawn.Count * 0.1 * 0.9);
        Assert.That(drawn.Count(g => g.Value == "control"), Is.InRange(drawn.Count * 0.1 - 4 * sigma, drawn.Count * 0.1 + 4 * sigma));
        Assert.That(CampaignMail("tenth").Select(m => m.ClientId), Is.EquivalentTo(drawn.Where(g => g.Value == "mailed").Select(g => (long?)g.Key)));

        var again = MarketingWorkspace.Ok(_workspace, AsOf, "campaign", "send", MarketingWorkspace.StatementPack, "--id", "tenth", "--holdout", "0");
        Assert.That(again, Does.Contain("Queued 0 new mail(s)"), "a client once in the control group stays out, whatever a later send's holdout");
        Assert.That(MarketingWorkspace.Groups(_workspace, "tenth"), Is.EquivalentTo(groups));
    }
}

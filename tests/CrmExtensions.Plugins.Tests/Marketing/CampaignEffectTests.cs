using CrmExtensions.Reports.Builtin;
using CrmExtensions.Samples;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Plugins.Tests.Marketing;

/// <summary>
/// A simulated campaign on the sample ledgers: two campaigns sent 120 days before the end of the ledgers' history with half
/// of the segment kept back; then, in the ledger files themselves, every client mailed by one of them ('uplift') is given one
/// more invoice, paid, within 30 days of the send, and the store syncs again. The report must find that planted uplift within
/// its interval, find nothing (zero inside the interval) for the other campaign ('placebo'), and reconcile with the mirror.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
[NonParallelizable]
public sealed class CampaignEffectTests(DatabaseProvider provider)
{
    private static readonly DateOnly AsOf = new(2025, 12, 31);
    private static readonly DateOnly SendDay = AsOf.AddDays(-120);
    private static readonly int[] Windows = [30, 60, 90];

    private SampleWorkspace _workspace = null!;
    private CampaignEffect _before = null!;
    private CampaignEffect _uplift = null!;
    private CampaignEffect _placebo = null!;
    private decimal _planted;
    private int _plantedInvoices;
    private long _plantedBase;

    [OneTimeSetUp]
    public void SimulateTheCampaigns()
    {
        _workspace = SampleWorkspace.Create(provider, AsOf, counterparties: 800, seed: 11);
        MarketingWorkspace.EnableMarketingMail(_workspace);
        foreach (var campaign in new[] { "uplift", "placebo" })
        {
            MarketingWorkspace.Ok(_workspace, SendDay, "campaign", "send", MarketingWorkspace.StatementPack, "--id", campaign, "--holdout", "50");
        }

        var report = new CampaignReport(_workspace.Store);
        _before = report.Compute(new CampaignEffectRequest("uplift", Windows), AsOf);

        // The planted uplift is the ledgers' own median invoice: one more invoice of it per mailed client, paid five days later.
        using (var connection = _workspace.Store.Open())
        {
            var amounts = connection.Query<long>("SELECT amount FROM mirror_invoices WHERE vanished_at IS NULL ORDER BY amount").ToList();
            _planted = decimal.Round(Money.FromStored(amounts[amounts.Count / 2]), 2);
            // One head counterparty per client (a client may have a head in each ledger).
            var heads = connection.Query<(long ClientId, string Ledger, string LedgerId)>(
                "SELECT g.client_id AS ClientId, m.ledger AS Ledger, m.ledger_id AS LedgerId FROM campaign_groups g " +
                "JOIN client_members m ON m.client_id = g.client_id AND m.role = 'head' WHERE g.campaign = 'uplift' AND g.group_name = 'mailed' ORDER BY m.ledger, m.ledger_id")
                .DistinctBy(h => h.ClientId).ToList();
            var invoices = heads.Select(h => new SampleInvoice(h.Ledger, h.LedgerId, SendDay.AddDays((int)(h.ClientId % 20)), _planted, SendDay.AddDays((int)(h.ClientId % 20) + 5)));
            _plantedInvoices = SampleLedgerEditor.AddInvoices(_workspace.Path, invoices);
            Assert.That(_plantedInvoices, Is.EqualTo(_before.Mailed), "one planted invoice per mailed client");
        }

        var known = Invoices();
        MarketingWorkspace.Ok(_workspace, AsOf, "sync");
        // Each planted invoice is in its counterparty's currency (a client may pay in euros): what the report adds up is its
        // amount in roubles, as sync converted it.
        _plantedBase = Invoices().Where(i => !known.ContainsKey(i.Key)).Sum(i => i.Value);
        Assert.That(Invoices().Count - known.Count, Is.EqualTo(_plantedInvoices), "every planted invoice mirrored");
        _uplift = report.Compute(new CampaignEffectRequest("uplift", Windows), AsOf);
        _placebo = report.Compute(new CampaignEffectRequest("placebo", Windows), AsOf);
        foreach (var row in _uplift.Rows.Concat(_placebo.Rows).Where(r => r.Breakdown == "all"))
        {
            TestContext.Progress.WriteLine($"{provider} {row.Measure} {row.Days}d: mailed {row.Mailed.Count} control {row.Control.Count} difference {row.Effect.Difference:0.00} " +
                $"[{row.Effect.Low:0.00}; {row.Effect.High:0.00}] planted {_planted}");
        }
    }

    [OneTimeTearDown]
    public void TearDown() => _workspace?.Dispose();

    /// <summary>The planted uplift per mailed client, in the base currency.</summary>
    private double PlantedPerClient => (double)Money.FromStored(_plantedBase) / _plantedInvoices;

    private Dictionary<(string Ledger, string Id), long> Invoices()
    {
        using var connection = _workspace.Store.Open();
        return connection.Query<(string Ledger, string Id, long Base)>("SELECT ledger, ledger_id, base_amount FROM mirror_invoices WHERE vanished_at IS NULL")
            .ToDictionary(i => (i.Ledger, i.Id), i => i.Base);
    }

    private static CampaignEffectRow All(CampaignEffect effect, int days, string measure) => effect.Rows.Single(r => r.Breakdown == "all" && r.Days == days && r.Measure == measure);

    [Test]
    public void Compute_PlantedUplift_LiesWithinTheIntervalOfEveryWindow()
    {
        Assert.Multiple(() =>
        {
            foreach (var days in Windows)
            {
                foreach (var measure in new[] { "revenue", "paid" })
                {
                    var row = All(_uplift, days, measure);
                    Assert.That(row.Effect.Contains(PlantedPerClient), Is.True, $"{measure} {days} days: [{row.Effect.Low}; {row.Effect.High}] should hold {PlantedPerClient}");
                }
            }
        });
    }

    [Test]
    public void Compute_PlantedUplift_MovesTheDifferenceByExactlyThePlantedAmount()
    {
        foreach (var days in Windows)
        {
            var before = All(_before, days, "revenue");
            var after = All(_uplift, days, "revenue");
            Assert.That(after.Effect.Difference - before.Effect.Difference, Is.EqualTo(PlantedPerClient).Within(0.005), $"{days} days");
            Assert.That(after.MailedTotal - before.MailedTotal, Is.EqualTo(_plantedBase), "the ledger's planted invoices in roubles, to the kopeck");
            Assert.That(after.ControlTotal, Is.EqualTo(before.ControlTotal), "the control group was given nothing");
            Assert.That(after.Incremental, Is.EqualTo(after.Effect.Difference * after.Mailed.Count).Within(1e-6));
        }
    }

    [Test]
    public void Compute_NoPlantedEffect_IntervalContainsZero()
    {
        Assert.Multiple(() =>
        {
            foreach (var days in Windows)
            {
                var row = All(_placebo, days, "revenue");
                Assert.That(row.Effect.Contains(0), Is.True, $"placebo {days} days: [{row.Effect.Low}; {row.Effect.High}]");
            }
        });
    }

    [Test]
    public void Compute_Totals_EqualTheMirroredRowsOfTheGroupsClients()
    {
        using var connection = _workspace.Store.Open();
        foreach (var row in _uplift.Rows.Where(r => r.Breakdown == "all"))
        {
            // Through the clients' members, not the client id the report reads: two ways to the same rows.
            var (table, day) = row.Measure == "revenue" ? ("mirror_invoices", "issued_on") : ("mirror_payments", "paid_on");
            long Sum(string group) => connection.ExecuteScalar<long?>(
                $"SELECT SUM(x.base_amount) FROM {table} x JOIN client_members m ON m.ledger = x.ledger AND m.ledger_id = x.counterparty_id " +
                $"JOIN campaign_groups g ON g.client_id = m.client_id WHERE g.campaign = 'uplift' AND g.group_name = @group AND x.vanished_at IS NULL " +
                $"AND x.{day} >= @start AND x.{day} < @end",
                new { group, start = SendDay.ToString("yyyy-MM-dd"), end = SendDay.AddDays(row.Days).ToString("yyyy-MM-dd") }) ?? 0;
            Assert.That(row.MailedTotal, Is.EqualTo(Sum("mailed")), $"{row.Measure} {row.Days} days, mailed");
            Assert.That(row.ControlTotal, Is.EqualTo(Sum("control")), $"{row.Measure} {row.Days} days, control");
        }
    }

    [Test]
    public void Compute_Breakdown_ClassesPartitionTheClients()
    {
        var classes = _uplift.Rows.Where(r => r.Breakdown.StartsWith("class ", StringComparison.Ordinal) && r.Days == 30 && r.Measure == "revenue").ToList();
        var all = All(_uplift, 30, "revenue");
        Assert.That(classes.Sum(r => r.Mailed.Count), Is.EqualTo(all.Mailed.Count));
        Assert.That(classes.Sum(r => r.Control.Count), Is.EqualTo(all.Control.Count));
        Assert.That(classes.Sum(r => r.MailedTotal), Is.EqualTo(all.MailedTotal));
    }

    [Test]
    public void Holdout_HalfTheSegment_ControlShareWithinFourSigmasAndNeverMailed()
    {
        var groups = MarketingWorkspace.Groups(_workspace, "uplift");
        var eligible = groups.Count(g => g.Value != "held");
        var control = groups.Count(g => g.Value == "control");
        var sigma = Math.Sqrt(eligible * 0.25);
        Assert.That(control, Is.InRange(eligible / 2.0 - 4 * sigma, eligible / 2.0 + 4 * sigma), $"{control} of {eligible}");

        using var connection = _workspace.Store.Open();
        var mailedIds = connection.Query<long>("SELECT client_id FROM outbox WHERE source = 'campaign:uplift'").ToHashSet();
        Assert.That(mailedIds.Overlaps(groups.Where(g => g.Value != "mailed").Select(g => g.Key)), Is.False, "control and held back clients get no mail");
        Assert.That(mailedIds, Is.EquivalentTo(groups.Where(g => g.Value == "mailed").Select(g => g.Key)));
    }

    [Test]
    public void ReportCampaign_Cli_WritesLedgerMoneyInRussianWithTheRoi()
    {
        var output = MarketingWorkspace.Ok(_workspace, AsOf, "report", "campaign", "uplift", "--cost", "1 000,00", "--segment", "abc=A");
        var total = Money.FromStored(All(_uplift, 30, "revenue").MailedTotal).ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("ru-RU"));
        Assert.That(output, Does.Contain(total), "the mailed clients' 30-day revenue, as ru-RU writes it");
        Assert.That(output, Does.Contain("ROI %").And.Contain("abc=A").And.Contain("class A").And.Contain("held back: unresolved problems"));
    }
}

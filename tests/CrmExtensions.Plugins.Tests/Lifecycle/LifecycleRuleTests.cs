using CrmExtensions.Plugins.Lifecycle;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Plugins.Tests.Lifecycle;

public sealed class LifecycleRuleTests
{
    private static int _next;

    /// <summary>A client of one counterparty with invoices on the given days, each paid on its day.</summary>
    private static InMemoryCrm AddClient(InMemoryCrm crm, string id, params DateOnly[] invoices)
    {
        var key = new LedgerKey("msk", "C" + id);
        crm.AddCounterparty(new Counterparty { Key = key, Name = "Клиент " + id, Manager = "Сидорова А. В." })
            .AddClient(new Client { ClientId = id, DisplayName = "Клиент " + id, Members = [new ClientMember { Counterparty = key, Role = ClientMemberRole.Head }] });
        foreach (var day in invoices)
        {
            var n = Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
            crm.AddInvoice(new Invoice { Key = new("msk", "I" + n), Counterparty = key, IssuedOn = day, DueOn = day.AddDays(10), Amount = 1000m });
            crm.AddPayment(new Payment { Key = new("msk", "P" + n), Counterparty = key, PaidOn = day.AddDays(5), Amount = 1000m, InvoiceId = "I" + n });
        }

        return crm;
    }

    private static PluginHarness Harness(InMemoryCrm crm, DateOnly today, Dictionary<string, string>? settings = null) =>
        PluginHarness.CreateWithSettings<Startup>(settings, crm, new FakeTimeProvider(new DateTimeOffset(today.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero)));

    [Test]
    public async Task EvaluateRemindersAsync_ClientsAtEachStage_TaggedWithTheirStage()
    {
        var today = new DateOnly(2025, 6, 30);
        var crm = new InMemoryCrm();
        AddClient(crm, "1");
        AddClient(crm, "2", today.AddDays(-20));
        AddClient(crm, "3", today.AddDays(-100), today.AddDays(-10));
        AddClient(crm, "4", [.. Enumerable.Range(0, 24).Select(m => today.AddMonths(-m - 1))]);
        AddClient(crm, "5", today.AddDays(-400), today.AddDays(-200));
        using var harness = Harness(crm, today);

        var due = await harness.EvaluateRemindersAsync();

        Assert.That(Enumerable.Range(1, 5).Select(i => crm.ClientTags[(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "lifecycle.stage")]),
            Is.EqualTo(new[] { "awareness", "exploration", "expansion", "commitment", "dissolution" }));
        Assert.That(crm.ClientTags.Where(t => t.Key.Name == "lifecycle.at_risk").Select(t => t.Key.Client), Is.EqualTo(new[] { "5" }));
        Assert.That(due.Select(r => (r.Key, r.DueOn, r.ClientId, r.Manager)), Is.EqualTo(new[]
        {
            ("lapse:5:2024-12-12", new DateOnly(2025, 6, 10), (string?)"5", (string?)"Сидорова А. В."),
        }));
        Assert.That(due[0].Title, Does.StartWith("Клиент «Клиент 5» не покупает с 12.12.2024"));
    }

    [Test]
    public async Task EvaluateRemindersAsync_ClientBuysAgainAndLapsesAgain_RemindedOncePerLapseAndUnflaggedBetween()
    {
        var crm = AddClient(new InMemoryCrm(), "9", new DateOnly(2024, 1, 15));
        using var harness = Harness(crm, new DateOnly(2024, 7, 20), new() { ["lapseDays"] = "120" });
        var keys = new HashSet<string>();
        for (var day = 0; day < 300; day++)
        {
            if (day == 60)
            {
                crm.AddInvoice(new Invoice { Key = new("msk", "again"), Counterparty = new("msk", "C9"), IssuedOn = new(2024, 9, 18), Amount = 500m });
            }

            keys.UnionWith((await harness.EvaluateRemindersAsync()).Select(r => r.Key));
            if (day == 61)
            {
                Assert.That(crm.ClientTags.ContainsKey(("9", "lifecycle.at_risk")), Is.False, "buying again clears the flag");
                Assert.That(crm.ClientTags[("9", "lifecycle.stage")], Is.EqualTo("expansion"));
            }

            harness.Clock.Advance(TimeSpan.FromDays(1));
        }

        Assert.That(keys, Is.EquivalentTo(new[] { "lapse:9:2024-01-15", "lapse:9:2024-09-18" }));
        Assert.That(crm.Reminders.Select(r => r.Key), Is.EquivalentTo(keys));
        Assert.That(crm.ClientTags[("9", "lifecycle.at_risk")], Is.EqualTo("true"));
    }

    [Test]
    public async Task EvaluateRemindersAsync_TagsReadInAnOrderOtherThanTheHosts_OnlyTheChangedClientsRewritten()
    {
        // The in-memory CRM streams clients and tags in ordinal id order ("10", "100", "11", "2"), not the host's numeric
        // order the rule merges by: the rule must still find every client's tags.
        var today = new DateOnly(2025, 6, 30);
        var crm = new InMemoryCrm();
        foreach (var id in new[] { "2", "10", "100", "11" })
        {
            AddClient(crm, id, today.AddDays(-400));
        }

        using var harness = Harness(crm, today);
        await harness.EvaluateRemindersAsync();
        Assert.That(crm.ClientTags.Where(t => t.Key.Name == "lifecycle.at_risk").Select(t => t.Key.Client).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "10", "100", "11", "2" }));

        foreach (var id in new[] { "2", "100" })
        {
            crm.AddInvoice(new Invoice { Key = new("msk", "again" + id), Counterparty = new("msk", "C" + id), IssuedOn = today.AddDays(-1), Amount = 500m });
        }

        await harness.EvaluateRemindersAsync();

        Assert.That(crm.ClientTags.Where(t => t.Key.Name == "lifecycle.at_risk").Select(t => t.Key.Client).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "10", "11" }), "the flag is cleared for the clients that bought again, kept for the others");
        Assert.That(new[] { "2", "10", "100", "11" }.Select(id => crm.ClientTags[(id, "lifecycle.stage")]),
            Is.EqualTo(new[] { "expansion", "dissolution", "expansion", "dissolution" }));
    }
}

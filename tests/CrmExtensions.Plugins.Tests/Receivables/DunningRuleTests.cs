using CrmExtensions.Plugins.Receivables;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Plugins.Tests.Receivables;

public sealed class DunningRuleTests
{
    private static readonly LedgerKey Buyer = new("msk", "000000101");

    private static InMemoryCrm Crm() => new InMemoryCrm()
        .AddCounterparty(new Counterparty { Key = Buyer, Name = "ИП Иванов Иван Иванович", Email = "ivanov@example.ru", Manager = "Петров П. П." })
        .AddClient(new Client { ClientId = "7", DisplayName = "ИП Иванов И. И.", Members = [new ClientMember { Counterparty = Buyer, Role = ClientMemberRole.Head }] })
        .AddInvoice(new Invoice { Key = new("msk", "501"), Counterparty = Buyer, Number = "501", IssuedOn = new(2024, 12, 10), DueOn = new(2025, 1, 10), Amount = 45_678.9m });

    private static PluginHarness Harness(InMemoryCrm crm, DateOnly today, Dictionary<string, string>? settings = null) =>
        PluginHarness.CreateWithSettings<Startup>(settings, crm, new FakeTimeProvider(new DateTimeOffset(today.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero)),
            ShippedPlugins.Built(ShippedPlugins.Receivables));

    [Test]
    public async Task EvaluateRemindersAsync_ThirtyOneDaysOverdue_OnlyTheFirmestLevelWithItsLetter()
    {
        using var harness = Harness(Crm(), new DateOnly(2025, 2, 10));

        var due = await harness.EvaluateRemindersAsync();

        Assert.That(due.Select(r => (r.Key, r.DueOn)), Is.EqualTo(new[] { ("dunning:msk/501:3", new DateOnly(2025, 2, 10)) }),
            "levels 1 and 2 are superseded by level 3, due the day it is reached");
        Assert.That(due.Select(r => r.Manager), Has.All.EqualTo("Петров П. П."));
        Assert.That(harness.Crm.Mails, Has.Count.EqualTo(1));
        var mail = harness.Crm.Mails[0];
        Assert.That(mail.Key, Is.EqualTo("dunning:msk/501:3"));
        Assert.That(mail.To, Is.EqualTo("ivanov@example.ru"));
        Assert.That(mail.Subject, Is.EqualTo("Требование об оплате задолженности по счёту № 501"));
        Assert.That(mail.Body, Does.Contain("просрочка составляет 31 дн.").And.Contain("45\u00A0678,90 ₽"));
    }

    [Test]
    public async Task EvaluateRemindersAsync_DayByDay_EachLevelOnceAndNothingAfterPayment()
    {
        var crm = Crm();
        using var harness = Harness(crm, new DateOnly(2025, 1, 10));
        var keys = new List<string>();
        for (var day = 0; day < 40; day++)
        {
            if (day == 35)
            {
                crm.AddPayment(new Payment { Key = new("msk", "P9"), Counterparty = Buyer, PaidOn = new(2025, 2, 14), Amount = 45_678.9m, InvoiceId = "501" });
            }

            var due = await harness.EvaluateRemindersAsync();
            keys.AddRange(due.Select(r => r.Key));
            harness.Clock.Advance(TimeSpan.FromDays(1));
        }

        Assert.That(crm.Mails.Select(m => m.Key), Is.EqualTo(new[] { "dunning:msk/501:1", "dunning:msk/501:2", "dunning:msk/501:3" }));
        Assert.That(crm.Mails.Select(m => m.Subject), Is.EqualTo(new[]
        {
            "Напоминание об оплате счёта № 501 от 10.12.2024", "Повторное напоминание: счёт № 501 просрочен на 14 дн.", "Требование об оплате задолженности по счёту № 501",
        }));
        Assert.That(keys.Distinct(), Has.Exactly(3).Items);
        Assert.That(keys, Has.Count.EqualTo(13 + 16 + 5), "level 1 returned from day 1, level 2 from day 14, level 3 from day 30, each until the next or the payment on day 35");
    }

    [Test]
    public async Task EvaluateRemindersAsync_ReminderAlreadyStored_ReturnedByKeyOnly_AndTheStoredOneKeepsItsWords()
    {
        var crm = Crm();
        using var harness = Harness(crm, new DateOnly(2025, 1, 20));

        var first = await harness.EvaluateRemindersAsync();
        var again = await harness.EvaluateRemindersAsync();

        Assert.That(first.Select(r => (r.Key, r.Mail is not null)), Is.EqualTo(new[] { ("dunning:msk/501:1", true) }));
        Assert.That(first[0].Title, Does.StartWith("Напоминание: счёт № 501 клиента «ИП Иванов И. И.» просрочен на 10 дн."));
        Assert.That(again.Select(r => (r.Key, r.Title, r.DueOn, r.Mail)), Is.EqualTo(new[] { ("dunning:msk/501:1", "", first[0].DueOn, (CrmExtensions.Sdk.Mail.OutgoingMail?)null) }),
            "stored: only its key is made again");
        Assert.That(crm.Reminders.Select(r => r.Title), Is.EqualTo(new[] { first[0].Title }), "the stored reminder is the first one");
        Assert.That(crm.Mails, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EvaluateRemindersAsync_ClientOwesManyInvoices_EachLetterListsThirtyAndCountsTheRest()
    {
        var crm = Crm();
        for (var i = 0; i < 34; i++)
        {
            crm.AddInvoice(new Invoice { Key = new("msk", $"9{i:00}"), Counterparty = Buyer, Number = $"9{i:00}", IssuedOn = new(2024, 12, 1), DueOn = new DateOnly(2025, 1, 1).AddDays(i % 5), Amount = 100m });
        }

        using var harness = Harness(crm, new DateOnly(2025, 1, 20));

        await harness.EvaluateRemindersAsync();

        Assert.That(harness.Crm.Mails, Has.Count.EqualTo(35), "one letter per overdue invoice");
        var body = harness.Crm.Mails.First(m => m.Key.EndsWith(":2", StringComparison.Ordinal)).Body;
        Assert.That(body, Does.Contain("… и ещё 5 сч."), "the second letter lists the client's invoices, a page's worth");
        Assert.That(body.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)), Is.EqualTo(31));
    }

    [Test]
    public async Task EvaluateRemindersAsync_LevelsFromSettings_UsesThem()
    {
        using var harness = Harness(Crm(), new DateOnly(2025, 1, 20), new() { ["levels"] = "5; 10" });

        var due = await harness.EvaluateRemindersAsync();

        Assert.That(due.Select(r => r.Key), Is.EqualTo(new[] { "dunning:msk/501:2" }), "10 days overdue reach the second of the levels 5 and 10");
    }

    [Test]
    public void EvaluateRemindersAsync_LevelsOutOfOrder_ThrowsSayingWhatFits()
    {
        using var harness = Harness(Crm(), new DateOnly(2025, 1, 20), new() { ["levels"] = "14;1" });

        Assert.That(() => harness.EvaluateRemindersAsync(), Throws.TypeOf<PluginConfigurationException>().With.Message.Contains("increasing order"));
    }
}

using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace HelloPlugin.Tests;

public sealed class HelloPluginTests
{
    private static readonly LedgerKey Romashka = new("msk", "C1");

    private static InMemoryCrm Crm() => new InMemoryCrm()
        .AddCounterparty(new Counterparty { Key = Romashka, Name = "ООО Ромашка", Email = "buh@romashka.ru" })
        .AddInvoice(new Invoice { Key = new("msk", "I1"), Counterparty = Romashka, Number = "0001", IssuedOn = new(2025, 1, 10), DueOn = new(2025, 1, 20), Amount = 12_500m })
        .AddInvoice(new Invoice { Key = new("msk", "I2"), Counterparty = Romashka, Number = "0002", IssuedOn = new(2025, 2, 20), DueOn = new(2025, 3, 1), Amount = 100m });

    private static PluginHarness Harness(InMemoryCrm crm) =>
        PluginHarness.Create<Startup>(crm, new FakeTimeProvider(new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero)));

    [Test]
    public async Task WelcomeHandler_NewCounterparty_PlansAWelcomeCall()
    {
        using var harness = Harness(Crm());

        var handlers = await harness.RaiseAsync(EventTypes.CounterpartyCreated, Romashka);

        Assert.That(handlers, Is.EqualTo(1));
        Assert.That(harness.Crm.Activities.Select(a => (a.Kind, a.Subject, a.Counterparty)),
            Is.EqualTo(new[] { ("call", "Welcome call to ООО Ромашка", Romashka) }));
    }

    [Test]
    public async Task WelcomeHandler_OtherEvents_AreNotDelivered()
    {
        using var harness = Harness(Crm());

        var handlers = await harness.RaiseAsync(EventTypes.InvoicePaid, new LedgerKey("msk", "I1"));

        Assert.That(handlers, Is.Zero);
        Assert.That(harness.Crm.Activities, Is.Empty);
    }

    [Test]
    public async Task OverdueInvoiceReminder_InvoiceOverdueMoreThan30Days_RemindsAndMailsOnce()
    {
        using var harness = Harness(Crm());

        var first = await harness.EvaluateRemindersAsync();
        await harness.EvaluateRemindersAsync();

        Assert.That(first.Select(r => r.Title), Is.EqualTo(new[] { "Call ООО Ромашка about invoice 0001" }));
        Assert.That(harness.Crm.Reminders, Has.Count.EqualTo(1));
        var mail = harness.Crm.Mails.Single();
        Assert.That(mail.To, Is.EqualTo("buh@romashka.ru"));
        Assert.That(mail.Subject, Is.EqualTo("Invoice 0001 is 49 days overdue"));
        Assert.That(mail.Body, Is.EqualTo(
            "Hello, ООО Ромашка!\n\nOur invoice 0001 for 12,500.00 RUB was due on 2025-01-20.\nIf you have already paid it, thank you, and please ignore this letter.\n"));
    }

    [Test]
    public async Task OverdueInvoiceReminder_NoEmail_RemindsWithoutMail()
    {
        var crm = new InMemoryCrm()
            .AddCounterparty(new Counterparty { Key = Romashka, Name = "ИП Иванов" })
            .AddInvoice(new Invoice { Key = new("msk", "I1"), Counterparty = Romashka, IssuedOn = new(2025, 1, 1), DueOn = new(2025, 1, 5), Amount = 1m });
        using var harness = Harness(crm);

        await harness.EvaluateRemindersAsync();

        Assert.That(harness.Crm.Reminders.Select(r => r.Title), Is.EqualTo(new[] { "Call ИП Иванов about invoice I1" }));
        Assert.That(harness.Crm.Mails, Is.Empty);
    }

    [Test]
    public async Task OverdueInvoiceReminder_PartlyPaid_MailsWhatIsStillOwed()
    {
        var crm = Crm().AddPayment(new Payment { Key = new("msk", "P1"), Counterparty = Romashka, PaidOn = new(2025, 2, 1), Amount = 10_000m, InvoiceId = "I1" });
        using var harness = Harness(crm);

        await harness.EvaluateRemindersAsync();

        Assert.That(harness.Crm.Reminders.Select(r => r.Title), Is.EqualTo(new[] { "Call ООО Ромашка about invoice 0001" }));
        Assert.That(harness.Crm.Mails.Single().Body, Does.Contain("Our invoice 0001 for 2,500.00 RUB was due on 2025-01-20."));
    }

    [Test]
    public async Task OverdueInvoiceReminder_PaidInFullButNotYetMarkedSettled_NoReminder()
    {
        var crm = Crm().AddPayment(new Payment { Key = new("msk", "P1"), Counterparty = Romashka, PaidOn = new(2025, 2, 1), Amount = 12_500m, InvoiceId = "I1" });
        using var harness = Harness(crm);

        var due = await harness.EvaluateRemindersAsync();

        Assert.That(due, Is.Empty);
        Assert.That(harness.Crm.Mails, Is.Empty);
    }

    [Test]
    public void Templates_ParseAtStartup_OverdueIsThere()
    {
        using var harness = Harness(Crm());

        Assert.That(harness.Templates, Is.EquivalentTo(new[] { "overdue", "panel" }));
    }

    [Test]
    public async Task OverduePanel_ClientCard_ListsOnlyInvoicesPastTheGraceDays_Escaped()
    {
        var crm = new InMemoryCrm()
            .AddCounterparty(new Counterparty { Key = Romashka, Name = "ООО <Ромашка>" })
            .AddClient(new Client { ClientId = "7", DisplayName = "Ромашка", Members = [new ClientMember { Counterparty = Romashka, Role = ClientMemberRole.Head }] })
            .AddInvoice(new Invoice { Key = new("msk", "I1"), Counterparty = Romashka, Number = "0001", IssuedOn = new(2025, 1, 10), DueOn = new(2025, 1, 20), Amount = 12_500m })
            .AddInvoice(new Invoice { Key = new("msk", "I2"), Counterparty = Romashka, Number = "0002", IssuedOn = new(2025, 2, 20), DueOn = new(2025, 3, 1), Amount = 100m });
        using var harness = Harness(crm);

        var panels = await harness.RenderClientPanelsAsync("7");

        var (title, html) = panels.Single();
        Assert.That(title, Is.EqualTo("Hello: long overdue"));
        Assert.That(html, Does.Contain("Invoice 0001 (ООО &lt;Ромашка&gt;): 12\u00a0500,00\u00a0₽, due 20.01.2025"));
        Assert.That(html, Does.Not.Contain("0002"), "9 days overdue is within the grace days");
    }
}

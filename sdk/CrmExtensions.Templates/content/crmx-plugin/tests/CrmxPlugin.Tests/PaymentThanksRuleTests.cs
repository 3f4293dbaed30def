using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace CrmxPlugin.Tests;

public sealed class PaymentThanksRuleTests
{
    private static readonly LedgerKey Romashka = new("msk", "C1");

    // Today is 10 March 2025 for every test.
    private static PluginHarness Harness(InMemoryCrm crm) =>
        PluginHarness.Create<Startup>(crm, new FakeTimeProvider(new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero)));

    private static InMemoryCrm Crm(string? email = "buh@romashka.ru") => new InMemoryCrm()
        .AddCounterparty(new Counterparty { Key = Romashka, Name = "ООО Ромашка", Email = email })
        .AddClient(new Client { ClientId = "7", DisplayName = "Ромашка", Members = [new ClientMember { Counterparty = Romashka, Role = ClientMemberRole.Head }] })
        .AddInvoice(new Invoice { Key = new("msk", "I1"), Counterparty = Romashka, Number = "0001", IssuedOn = new(2025, 2, 1), DueOn = new(2025, 3, 1), Amount = 12_500m });

    private static Payment PaidOn(DateOnly day, decimal amount = 12_500m) =>
        new() { Key = new("msk", "P1"), Counterparty = Romashka, PaidOn = day, Amount = amount, InvoiceId = "I1" };

    [Test]
    public async Task PaymentThanksRule_PaidThisWeekNothingOverdue_ThanksOnceWithAMail()
    {
        using var harness = Harness(Crm().AddPayment(PaidOn(new(2025, 3, 7))));

        var first = await harness.EvaluateRemindersAsync();
        await harness.EvaluateRemindersAsync();

        Assert.That(first.Select(r => r.Title), Is.EqualTo(new[] { "Thank Ромашка for the payment of 2025-03-07" }));
        Assert.That(harness.Crm.Reminders, Has.Count.EqualTo(1));
        var mail = harness.Crm.Mails.Single();
        Assert.That(mail.To, Is.EqualTo("buh@romashka.ru"));
        Assert.That(mail.Subject, Is.EqualTo("Thank you for your payment"));
        Assert.That(mail.Body, Does.StartWith("Hello, Ромашка!\n\nYour payment of 2025-03-07 has reached us"));
    }

    [Test]
    public async Task PaymentThanksRule_StillOwesOverdue_NoThanks()
    {
        using var harness = Harness(Crm().AddPayment(PaidOn(new(2025, 3, 7), amount: 2_500m)));

        var due = await harness.EvaluateRemindersAsync();

        Assert.That(due, Is.Empty);
        Assert.That(harness.Crm.Mails, Is.Empty);
    }

    [Test]
    public async Task PaymentThanksRule_PaidMoreThanAWeekAgo_NoThanks()
    {
        using var harness = Harness(Crm().AddPayment(PaidOn(new(2025, 3, 3))));

        var due = await harness.EvaluateRemindersAsync();

        Assert.That(due, Is.Empty);
    }

    [Test]
    public async Task PaymentThanksRule_NoEmail_RemindsWithoutMail()
    {
        using var harness = Harness(Crm(email: null).AddPayment(PaidOn(new(2025, 3, 10))));

        await harness.EvaluateRemindersAsync();

        Assert.That(harness.Crm.Reminders.Select(r => r.Title), Is.EqualTo(new[] { "Thank Ромашка for the payment of 2025-03-10" }));
        Assert.That(harness.Crm.Mails, Is.Empty);
    }

    [Test]
    public void Templates_ParseAtStartup_ThanksIsThere()
    {
        using var harness = Harness(new InMemoryCrm());

        Assert.That(harness.Templates, Is.EquivalentTo(new[] { "thanks" }));
    }
}

using CrmExtensions.Plugins.Greetings;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Plugins.Tests.Greetings;

public sealed class GreetingsTests
{
    private static readonly LedgerKey Msk = new("msk", "000000101");
    private static readonly LedgerKey Spb = new("spb", "000000707");

    /// <summary>One client entered in two regional ledgers; its director is a contact of both entries.</summary>
    private static InMemoryCrm Crm() => new InMemoryCrm()
        .AddCounterparty(new Counterparty { Key = Msk, Name = "ООО «Ромашка»", TaxId = "7707083893", Email = "office@romashka.ru", Birthday = new(2004, 3, 8) })
        .AddCounterparty(new Counterparty { Key = Spb, Name = "ООО \"Ромашка\"", TaxId = "7707083893" })
        .AddCounterparty(new Counterparty { Key = new("msk", "IP1"), Name = "ИП Лукин Пётр Сергеевич", TaxId = "500100732259", Email = "lukin@mail.ru", Birthday = new(1980, 2, 29) })
        .AddClient(new Client
        {
            ClientId = "3", DisplayName = "ООО «Ромашка»",
            Members = [new ClientMember { Counterparty = Msk, Role = ClientMemberRole.Head }, new ClientMember { Counterparty = Spb, Role = ClientMemberRole.Duplicate }],
        })
        .AddClient(new Client { ClientId = "4", DisplayName = "ИП Лукин П. С.", Members = [new ClientMember { Counterparty = new("msk", "IP1"), Role = ClientMemberRole.Head }] })
        .AddContact(new Contact { Key = new("msk", "11"), Counterparty = Msk, FullName = "Смирнова Анна Павловна", Position = "Генеральный директор", Email = "smirnova@romashka.ru", Birthday = new(1975, 3, 8) })
        .AddContact(new Contact { Key = new("spb", "5"), Counterparty = Spb, FullName = "Смирнова  Анна Павловна ", Email = "smirnova@romashka.ru", Birthday = new(1975, 3, 8) })
        .AddInvoice(new Invoice { Key = new("msk", "I1"), Counterparty = Msk, IssuedOn = new(2024, 5, 5), Amount = 10m });

    private static PluginHarness Harness(InMemoryCrm crm, DateOnly today, Dictionary<string, string>? settings = null) =>
        PluginHarness.CreateWithSettings<Startup>(settings, crm, new FakeTimeProvider(new DateTimeOffset(today.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero)),
            ShippedPlugins.Built(ShippedPlugins.Greetings));

    [Test]
    public async Task EvaluateRemindersAsync_EighthOfMarch_BirthdayOfOnePersonInTwoLedgersAnniversaryAndHolidayEachOnce()
    {
        using var harness = Harness(Crm(), new DateOnly(2025, 3, 8));

        var due = await harness.EvaluateRemindersAsync();
        await harness.EvaluateRemindersAsync();

        Assert.That(due.Select(r => (r.Key, r.DueOn)), Is.EquivalentTo(new[]
        {
            ("birthday:msk/11:2025", new DateOnly(2025, 3, 8)), ("anniversary:msk/000000101:2025", new DateOnly(2025, 3, 8)),
        }), "on the day itself, a Saturday");
        var mails = harness.Crm.Mails.ToDictionary(m => m.Key);
        Assert.That(mails.Keys, Is.EquivalentTo(new[] { "birthday:msk/11:2025", "anniversary:msk/000000101:2025", "holiday:03-08:3:2025" }));
        Assert.That(mails["birthday:msk/11:2025"].Subject, Is.EqualTo("С днём рождения, Анна Павловна!"));
        Assert.That(mails["anniversary:msk/000000101:2025"].Body, Does.Contain("компании исполняется 21 год!"));
        Assert.That(mails["holiday:03-08:3:2025"].Body, Does.Contain("Поздравляем с Международным женским днём!"));
        Assert.That(mails["holiday:03-08:3:2025"].To, Is.EqualTo("office@romashka.ru"));
    }

    [Test]
    public async Task EvaluateRemindersAsync_BornOnTheTwentyNinthOfFebruary_GreetedOnTheTwentyEighthInACommonYear()
    {
        using var harness = Harness(Crm(), new DateOnly(2025, 2, 28));

        var due = await harness.EvaluateRemindersAsync();

        Assert.That(due.Select(r => r.Key), Is.EqualTo(new[] { "proprietor-birthday:msk/IP1:2025" }));
        Assert.That(harness.Crm.Mails.Single().Subject, Is.EqualTo("С днём рождения, Пётр Сергеевич!"));
    }

    [Test]
    public async Task EvaluateRemindersAsync_HostDownOnTheDay_CatchesUpWithinTheSetDaysOnly()
    {
        using var late = Harness(Crm(), new DateOnly(2025, 3, 10));
        using var tooLate = Harness(Crm(), new DateOnly(2025, 3, 10), new() { ["catchUpDays"] = "1" });

        await late.EvaluateRemindersAsync();
        await tooLate.EvaluateRemindersAsync();

        Assert.That(late.Crm.Mails.Select(m => m.Key), Has.Member("birthday:msk/11:2025").And.Member("holiday:03-08:3:2025"));
        Assert.That(tooLate.Crm.Mails, Is.Empty);
    }

    [Test]
    public async Task EvaluateRemindersAsync_HolidaysFromSettings_ReplaceTheRussianCalendar()
    {
        using var harness = Harness(Crm(), new DateOnly(2025, 3, 8), new() { ["holidays"] = "04-12=День космонавтики", ["senderName"] = "ООО «Поставщик»" });
        using var onTheDay = Harness(Crm(), new DateOnly(2025, 4, 12), new() { ["holidays"] = "04-12=День космонавтики", ["senderName"] = "ООО «Поставщик»" });

        await harness.EvaluateRemindersAsync();
        await onTheDay.EvaluateRemindersAsync();

        Assert.That(harness.Crm.Mails.Select(m => m.Key), Has.None.StartsWith("holiday:"));
        var mail = onTheDay.Crm.Mails.Single(m => m.Key.StartsWith("holiday:", StringComparison.Ordinal));
        Assert.That(mail.Key, Is.EqualTo("holiday:04-12:3:2025"));
        Assert.That(mail.Subject, Is.EqualTo("День космонавтики: поздравляем!"));
        Assert.That(mail.Body, Does.EndWith("ООО «Поставщик»\n"));
    }

    [Test]
    public void EvaluateRemindersAsync_BadHoliday_ThrowsNamingIt()
    {
        using var harness = Harness(Crm(), new DateOnly(2025, 3, 8), new() { ["holidays"] = "13-45=Никогда" });

        Assert.That(() => harness.EvaluateRemindersAsync(), Throws.TypeOf<PluginConfigurationException>().With.Message.Contains("13-45=Никогда"));
    }
}

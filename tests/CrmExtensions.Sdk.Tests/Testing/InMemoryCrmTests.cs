using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Testing;

namespace CrmExtensions.Sdk.Tests.Testing;

/// <summary>The test kit's reader and facts under the SDK 1.2 names answer as under the names they replace.</summary>
public sealed class InMemoryCrmTests
{
    private static readonly LedgerKey Head = new("msk", "H");
    private static readonly LedgerKey Branch = new("spb", "B");

    /// <summary>
    /// Client 42 (head msk/H, branch spb/B): msk/1 due 2025-02-01 for 100, paid in full on 02-10 but never marked settled;
    /// spb/2 due 2025-02-15 for 50, unpaid; msk/3 due 2025-01-20 for 70, marked settled on 2025-01-25.
    /// </summary>
    private static InMemoryCrm Crm()
    {
        var crm = new InMemoryCrm()
            .AddCounterparty(new Counterparty { Key = Head, Name = "ООО «Ромашка»" })
            .AddCounterparty(new Counterparty { Key = Branch, Name = "Филиал ООО «Ромашка»" })
            .AddClient(new Client
            {
                ClientId = "42", DisplayName = "ООО «Ромашка»",
                Members = [new() { Counterparty = Head, Role = ClientMemberRole.Head }, new() { Counterparty = Branch, Role = ClientMemberRole.Branch }],
            })
            .AddInvoice(new Invoice { Key = new("msk", "1"), Counterparty = Head, IssuedOn = new(2025, 1, 15), DueOn = new(2025, 2, 1), Amount = 100 })
            .AddInvoice(new Invoice { Key = new("spb", "2"), Counterparty = Branch, IssuedOn = new(2025, 2, 1), DueOn = new(2025, 2, 15), Amount = 50 })
            .AddInvoice(new Invoice { Key = new("msk", "3"), Counterparty = Head, IssuedOn = new(2025, 1, 5), DueOn = new(2025, 1, 20), Amount = 70, SettledOn = new(2025, 1, 25) })
            .AddPayment(new Payment { Key = new("msk", "P1"), Counterparty = Head, PaidOn = new(2025, 2, 10), Amount = 100, InvoiceId = "1" });
        return crm;
    }

    [TestCase("2025-01-20", 10, new string[0])]
    [TestCase("2025-03-01", 10, new[] { "msk/1", "spb/2" })]
    [TestCase("2025-03-01", 1, new[] { "msk/1" })]
    public async Task GetUnsettledInvoicesDueBeforeAsync_ADay_IgnoresPaymentsAsTheObsoleteNameDoes(string day, int limit, string[] expected)
    {
        ICrmReader reader = Crm();
        var dueBefore = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var renamed = await reader.GetUnsettledInvoicesDueBeforeAsync(dueBefore, limit, CancellationToken.None);
#pragma warning disable CS0618 // the 1.0 name, as a plugin built against 1.0 or 1.1 calls it
        var old = await reader.GetOverdueInvoicesAsync(dueBefore, limit, CancellationToken.None);
#pragma warning restore CS0618

        Assert.That(renamed.Select(i => i.Key.ToString()), Is.EqualTo(expected), "msk/1 is paid but not marked settled: this query does not count payments");
        Assert.That(old, Is.EqualTo(renamed), "the kit hands out its own invoice objects, so the same query returns the same instances");
    }

    [TestCase("42", "2025-01-20", new string[0])]
    [TestCase("42", "2025-02-05", new[] { "msk/1" })]
    [TestCase("42", "2025-03-01", new[] { "spb/2" })]
    [TestCase("43", "2025-03-01", new string[0])]
    public async Task GetClientOverdueInvoicesAsync_ADay_CountsPaymentsAsTheObsoleteNameDoes(string client, string day, string[] expected)
    {
        ICrmFacts facts = Crm();
        var asOf = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var renamed = await facts.GetClientOverdueInvoicesAsync(client, asOf, CancellationToken.None);
#pragma warning disable CS0618 // the 1.1 name, as a plugin built against 1.1 calls it
        var old = await facts.GetOverdueInvoicesAsync(client, asOf, CancellationToken.None);
#pragma warning restore CS0618

        Assert.That(renamed.Select(o => o.Invoice.Key.ToString()), Is.EqualTo(expected));
        Assert.That(old.Select(o => (o.Invoice, o.Outstanding, o.ClientId, o.Role)), Is.EqualTo(renamed.Select(o => (o.Invoice, o.Outstanding, o.ClientId, o.Role))));
    }

    [Test]
    public async Task GetRecipientAsyncAndFacts_DirectorFirstElseHeadEntity_TheHostsRule()
    {
        var crm = Crm()
            .AddContact(new Contact { Key = new("spb", "K1"), Counterparty = Branch, FullName = "Авдеева Анна", Email = "anna@romashka.ru" })
            .AddContact(new Contact { Key = new("msk", "K2"), Counterparty = Head, FullName = "Ясенев Олег", Position = "Генеральный директор", Email = "ceo@romashka.ru" })
            .AddCounterparty(new Counterparty { Key = new("msk", "L"), Name = "ИП Лукин", Email = " lukin@mail.ru " })
            .AddClient(new Client { ClientId = "43", DisplayName = "ИП Лукин П. С.", Members = [new() { Counterparty = new("msk", "L"), Role = ClientMemberRole.Head }] });
        ICrmReader reader = crm;

        var romashka = await reader.GetRecipientAsync("42", CancellationToken.None);
        var lukin = await reader.GetRecipientAsync("43", CancellationToken.None);
        var facts = new List<ClientFacts>();
        await foreach (var f in ((ICrmFacts)crm).StreamClientFactsAsync(new DateOnly(2025, 3, 1), CancellationToken.None))
        {
            facts.Add(f);
        }

        Assert.That((romashka?.Address, romashka?.Name, romashka?.Source, romashka?.Why),
            Is.EqualTo(("ceo@romashka.ru", "Ясенев Олег", RecipientSource.Director, "contact person, Генеральный директор")));
        Assert.That((lukin?.Address, lukin?.Name, lukin?.Source), Is.EqualTo(("lukin@mail.ru", "ИП Лукин П. С.", RecipientSource.HeadEntity)));
        Assert.That(await reader.GetRecipientAsync("c1", CancellationToken.None), Is.Null);
        Assert.That(facts.Select(f => (f.ClientId, f.AbcClass, f.Recipient?.Address)),
            Is.EqualTo(new[] { ("42", "A", "ceo@romashka.ru"), ("43", "C", "lukin@mail.ru") }), "all the revenue is 42's; 43 has none");
    }

    [Test]
    public async Task IsInSegmentAsync_ClientsPutInASegment_InItWhileCurrent()
    {
        var crm = Crm().AddClient(new Client { ClientId = "7", DisplayName = "Ушедший", Retired = true }).AddToSegment("segment=night-callers", "42", "7");

        Assert.That(await crm.IsInSegmentAsync("42", "segment=night-callers", CancellationToken.None), Is.True);
        Assert.That(await crm.IsInSegmentAsync("42", "overdue=yes", CancellationToken.None), Is.False, "only the segments it was put in");
        Assert.That(await crm.IsInSegmentAsync("7", "segment=night-callers", CancellationToken.None), Is.False, "a retired client is in no segment");
        Assert.That(await ((ICrmReader)crm).IsInSegmentAsync("43", "segment=night-callers", CancellationToken.None), Is.False);
    }
}

using System.Globalization;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Sdk.Storage;

namespace CrmExtensions.Contract.Tests;

/// <summary>
/// What <see cref="ICrmFacts"/> and <see cref="ICrmReader"/> answer about <see cref="ContractWorld"/>, written once and run
/// against every implementation: a plugin green in the test kit behaves the same in the host.
/// </summary>
/// <remarks>Each implementation hands out its own client ids, so answers name a client by its head's ledger key.</remarks>
public abstract class CrmContractTests
{
    private Dictionary<string, string> _keyOfClient = [];

    private protected abstract ICrmFacts Facts { get; }

    private protected abstract ICrmReader Reader { get; }

    /// <summary>Runs writes in one call into a plugin, committed when it returns.</summary>
    private protected abstract Task WriteAsync(Func<ICrmWriter, Task> write);

    /// <summary>Makes the world as <see cref="ContractWorld"/> describes it, with no tags written.</summary>
    private protected abstract void Begin();

    /// <summary>The id this implementation handed out for the client whose head is <paramref name="head"/>.</summary>
    private protected string IdOf(LedgerKey head) => _keyOfClient.Single(p => p.Value == head.ToString()).Key;

    [SetUp]
    public async Task BeginWithClientIdsMapped()
    {
        Begin();
        _keyOfClient = [];
        foreach (var head in ContractWorld.Heads)
        {
            var client = await Reader.FindClientAsync(head, CancellationToken.None);
            Assert.That(client, Is.Not.Null, $"{head} is in no client");
            _keyOfClient[client!.ClientId] = head.ToString();
        }
    }

    [TestCase("2024-01-01")]
    [TestCase("2024-06-30")]
    [TestCase("2025-03-05")]
    [TestCase("2025-06-30")]
    [TestCase("2026-07-01")]
    public async Task StreamClientFactsAsync_ADay_EveryFieldOfEveryCurrentClient(string day)
    {
        var facts = await ToList(Facts.StreamClientFactsAsync(Day(day), CancellationToken.None));

        Assert.That(facts.Select(Describe).Order(StringComparer.Ordinal).ToArray(), Is.EqualTo(Expected.ClientFacts[day]));
        Assert.That(facts.Select(f => f.ClientId), Is.Unique);
    }

    [TestCase("2024-01-01")]
    [TestCase("2024-04-10")]
    [TestCase("2025-02-01")]
    [TestCase("2025-02-02")]
    [TestCase("2025-02-10")]
    [TestCase("2025-03-05")]
    [TestCase("2025-06-29")]
    [TestCase("2025-06-30")]
    [TestCase("2025-12-31")]
    public async Task StreamOverdueInvoicesAsync_ADay_CountsOnlyPaymentsUpToItAndTheSettledDay(string day)
    {
        var overdue = await ToList(Facts.StreamOverdueInvoicesAsync(Day(day), CancellationToken.None));

        Assert.That(ByClient(overdue).Select(Describe).ToArray(), Is.EqualTo(Expected.Overdue[day]));
        var clients = overdue.Select(o => o.ClientId).ToList();
        Assert.That(clients.Where((c, i) => i > 0 && c != clients[i - 1]), Is.Unique, "one client's invoices come together");
    }

    [TestCase("2025-02-10")]
    [TestCase("2025-06-29")]
    [TestCase("2025-12-31")]
    public async Task GetClientOverdueInvoicesAsync_EachClient_ItsShareOfTheStreamOldestDueFirst(string day)
    {
        var stream = await ToList(Facts.StreamOverdueInvoicesAsync(Day(day), CancellationToken.None));

        foreach (var head in ContractWorld.Heads)
        {
            var id = IdOf(head);
            var one = await Facts.GetClientOverdueInvoicesAsync(id, Day(day), CancellationToken.None);
            Assert.That(one.Select(Describe).ToArray(), Is.EqualTo(stream.Where(o => o.ClientId == id).Select(Describe).ToArray()), head.ToString());
        }
    }

    [TestCase("99")]
    [TestCase("c99")]
    [TestCase("no such client")]
    public async Task GetClientOverdueInvoicesAsync_IdNeverHandedOut_None(string clientId)
    {
        var overdue = await Facts.GetClientOverdueInvoicesAsync(clientId, new DateOnly(2025, 12, 31), CancellationToken.None);
        var client = await Reader.GetClientAsync(clientId, CancellationToken.None);

        Assert.That((overdue, client), Is.EqualTo((Array.Empty<OverdueInvoice>(), (Client?)null)));
    }

    [TestCase("2025-12-30", "2026-01-02")]
    [TestCase("2025-02-28", "2025-02-28")]
    [TestCase("2024-02-28", "2024-03-01")]
    [TestCase("2025-03-01", "2025-03-08")]
    [TestCase("2025-01-01", "2025-12-31")]
    public async Task StreamOccasionsAsync_AWindow_BirthdaysAndAnniversariesFallingInIt(string from, string to)
    {
        var occasions = await ToList(Facts.StreamOccasionsAsync(Day(from), Day(to), CancellationToken.None));

        Assert.That(occasions.Select(Describe).Order(StringComparer.Ordinal).ToArray(), Is.EqualTo(Expected.Occasions[from + ".." + to]));
    }

    [TestCase("2025-01-01", "2026-01-01")]
    [TestCase("2025-01-02", "2025-01-01")]
    public void StreamOccasionsAsync_WindowBackwardsOrLongerThanAYear_Throws(string from, string to)
    {
        Assert.That(async () => await ToList(Facts.StreamOccasionsAsync(Day(from), Day(to), CancellationToken.None)),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task StreamClientTagsAsync_AfterWrites_TheLastValueOfEveryClientThatHasTheTag()
    {
        await WriteAsync(async writer =>
        {
            await writer.SetClientTagAsync(IdOf(ContractWorld.RomashkaHead), "contract.stage", "lead", CancellationToken.None);
            await writer.SetClientTagAsync(IdOf(ContractWorld.Lukin), "contract.stage", "customer", CancellationToken.None);
            await writer.SetClientTagAsync(IdOf(ContractWorld.Vector), "contract.stage", "lead", CancellationToken.None);
            await writer.SetClientTagAsync(IdOf(ContractWorld.Vector), "contract.other", "x", CancellationToken.None);
        });
        await WriteAsync(async writer =>
        {
            await writer.SetClientTagAsync(IdOf(ContractWorld.RomashkaHead), "contract.stage", "customer", CancellationToken.None);
            await writer.SetClientTagAsync(IdOf(ContractWorld.Lukin), "contract.stage", null, CancellationToken.None);
            await writer.SetClientTagAsync(IdOf(ContractWorld.Vector), "contract.stage", "lead", CancellationToken.None);
        });

        var stage = await ToList(Facts.StreamClientTagsAsync("contract.stage", CancellationToken.None));
        var none = await ToList(Facts.StreamClientTagsAsync("contract.none", CancellationToken.None));

        Assert.That(stage.Select(t => _keyOfClient[t.Key] + "=" + t.Value).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "msk/H1=customer", "msk/V1=lead" }));
        Assert.That(none, Is.Empty);
    }

    [TestCase("99")]
    [TestCase("c99")]
    [TestCase("0{0}")]
    [TestCase(" {0}")]
    [TestCase("{0}.0")]
    public async Task SetClientTagAsync_IdNeverHandedOut_RefusedWithTheSameMessageAndNothingWritten(string pattern)
    {
        var clientId = string.Format(CultureInfo.InvariantCulture, pattern, IdOf(ContractWorld.RomashkaHead));

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(async writer =>
        {
            await writer.SetClientTagAsync(IdOf(ContractWorld.Lukin), "contract.stage", "lead", CancellationToken.None);
            await writer.SetClientTagAsync(clientId, "contract.stage", "lead", CancellationToken.None);
        }));

        Assert.That(refusal!.Message, Does.StartWith(ClientIds.Unknown(clientId)));
        Assert.That(refusal.ParamName, Is.EqualTo("clientId"));
        Assert.That(await ToList(Facts.StreamClientTagsAsync("contract.stage", CancellationToken.None)), Is.Empty, "a call that fails writes nothing");
    }

    [TestCase("2024-01-01", 10)]
    [TestCase("2025-03-31", 10)]
    [TestCase("2025-04-01", 10)]
    [TestCase("2025-04-01", 2)]
    [TestCase("2026-01-01", 100)]
    public async Task GetUnsettledInvoicesDueBeforeAsync_ADay_NotMarkedSettledOldestDueFirstPaymentsNotCounted(string day, int limit)
    {
        var invoices = await Reader.GetUnsettledInvoicesDueBeforeAsync(Day(day), limit, CancellationToken.None);

        Assert.That(invoices.Select(i => i.Key.ToString()).ToArray(), Is.EqualTo(Expected.Unsettled[day].Take(limit).ToArray()));
    }

    [Test]
    public void GetUnsettledInvoicesDueBeforeAsync_LimitZero_Throws()
    {
        Assert.That(() => Reader.GetUnsettledInvoicesDueBeforeAsync(Day("2025-01-01"), 0, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task GetClientAsync_EveryClient_ItsNameAndMembersWithTheirRolesAndLegalEntities()
    {
        var expected = ContractWorld.Clients(IdOf);

        foreach (var head in ContractWorld.Heads)
        {
            var client = await Reader.GetClientAsync(IdOf(head), CancellationToken.None);
            var byMember = await Reader.FindClientAsync(client!.Members[^1].Counterparty, CancellationToken.None);

            Assert.That(Describe(client), Is.EqualTo(Describe(expected.Single(c => c.ClientId == client.ClientId))), head.ToString());
            Assert.That(byMember?.ClientId, Is.EqualTo(client.ClientId));
        }

        Assert.That(await Reader.FindClientAsync(new LedgerKey("msk", "nobody"), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task CounterpartyReads_EveryCounterparty_WhatItsLedgerSaysInTheOrderTheContractGives()
    {
        foreach (var counterparty in ContractWorld.Counterparties)
        {
            var key = counterparty.Key;
            Assert.That(Describe(await Reader.GetCounterpartyAsync(key, CancellationToken.None)), Is.EqualTo(Describe(counterparty)));
            Assert.That((await Reader.GetInvoicesAsync(key, CancellationToken.None)).Select(Describe),
                Is.EqualTo(ContractWorld.Invoices.Where(i => i.Counterparty == key).OrderByDescending(i => i.IssuedOn).ThenBy(i => i.Key.Id, StringComparer.Ordinal)
                    .Select(i => Describe(i, ContractWorld.SettledOnSyncDay(i)))), key + " invoices, newest first");
            Assert.That((await Reader.GetPaymentsAsync(key, CancellationToken.None)).Select(Describe),
                Is.EqualTo(ContractWorld.Payments.Where(p => p.Counterparty == key).OrderByDescending(p => p.PaidOn).Select(Describe)), key + " payments, newest first");
            Assert.That((await Reader.GetContactsAsync(key, CancellationToken.None)).Select(Describe),
                Is.EqualTo(ContractWorld.Contacts.Where(c => c.Counterparty == key).OrderBy(c => c.FullName, StringComparer.Ordinal).Select(Describe)), key + " contacts");
        }

        Assert.That(Describe(await Reader.GetInvoiceAsync(new LedgerKey("spb", "2"), CancellationToken.None)),
            Is.EqualTo(Describe(ContractWorld.Invoices.Single(i => i.Key == new LedgerKey("spb", "2")), null)));
        Assert.That(await Reader.GetInvoiceAsync(new LedgerKey("spb", "1"), CancellationToken.None), Is.Null, "invoice 1 is in the other ledger");
        Assert.That(await Reader.GetCounterpartyAsync(new LedgerKey("spb", "H1"), CancellationToken.None), Is.Null);
    }

    private string Key(string? clientId) => clientId is null ? "-" : _keyOfClient[clientId];

    private IEnumerable<OverdueInvoice> ByClient(IEnumerable<OverdueInvoice> overdue) =>
        overdue.GroupBy(o => Key(o.ClientId)).OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => g);

    private string Describe(ClientFacts f) => Invariant(
        $"{Key(f.ClientId)} {f.DisplayName} | manager {f.Manager} | email {f.Email} | members {f.Members} | invoices {f.Invoices} {f.FirstInvoiceOn:yyyy-MM-dd}..{f.LastInvoiceOn:yyyy-MM-dd} | revenue {f.RevenueLast12Months:0.00} previous {f.RevenuePrevious12Months:0.00} | payments {f.Payments} {f.FirstPaymentOn:yyyy-MM-dd}..{f.LastPaymentOn:yyyy-MM-dd} | overdue {f.Overdue:0.00}");

    private string Describe(OverdueInvoice o) => Invariant(
        $"{Key(o.ClientId)} {o.Invoice.Key} {o.Invoice.Number} {o.Invoice.Amount:0.00} {o.Invoice.Currency} due {o.Invoice.DueOn:yyyy-MM-dd} owes {o.Outstanding:0.00} {o.DaysOverdue}d as of {o.AsOf:yyyy-MM-dd} | {o.ClientName} | {o.CounterpartyName} {o.Role} {o.City} | {o.Manager} | {o.Email}");

    private string Describe(Occasion o) => Invariant(
        $"{o.Date:yyyy-MM-dd} {o.Kind} {o.Key} of {o.Counterparty} {o.Name} ({o.Position}) {o.Email} since {o.Since:yyyy-MM-dd} {o.Years}y | {Key(o.ClientId)} {o.ClientName} | {o.Manager}");

    [Test]
    public async Task AbcClassAndRecipient_EveryClient_TheReportsClassAndTheCampaignsRecipientFromFactsAndReader()
    {
        var facts = await ToList(Facts.StreamClientFactsAsync(Day("2024-01-01"), CancellationToken.None));
        var said = new List<string>();
        foreach (var f in facts)
        {
            var read = await Reader.GetRecipientAsync(f.ClientId, CancellationToken.None);
            Assert.That(DescribeRecipient(read), Is.EqualTo(DescribeRecipient(f.Recipient)), "the reader and the facts choose alike");
            said.Add($"{_keyOfClient[f.ClientId]} {f.AbcClass} {DescribeRecipient(f.Recipient)}");
        }

        // Only Vector bought in the twelve months to 1 January 2024. Ромашка: no director has an address, Орлова comes
        // first by name; Vector: its director has no address, and of its two head rows only the second has one.
        Assert.That(said.Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "msk/H1 C orlova@romashka.ru Орлова Мария Contact contact person",
            "msk/IP C lukin@mail.ru ИП Лукин Пётр Сергеевич HeadEntity head entity's address in the ledger",
            "msk/V1 A info@vector.ru АО «Вектор» HeadEntity head entity's address in the ledger",
            "spb/A1 C sales@acme.example Acme Trading GmbH HeadEntity head entity's address in the ledger",
        }));
        Assert.That(await Reader.GetRecipientAsync("no such client", CancellationToken.None), Is.Null, "an id never handed out");
    }

    [Test]
    public async Task GetRecommendationsAsync_NoInvoiceLines_NoneForAnyClientNorForAnUnknownId()
    {
        // The world maps no invoice lines: nothing to learn from, so every client, and an id never handed out, gets an
        // empty list rather than an error (SDK 1.3).
        foreach (var clientId in _keyOfClient.Keys)
        {
            Assert.That(await Reader.GetRecommendationsAsync(clientId, CancellationToken.None), Is.Empty, _keyOfClient[clientId]);
        }

        Assert.That(_keyOfClient, Is.Not.Empty);
        Assert.That(await Reader.GetRecommendationsAsync("no such client", CancellationToken.None), Is.Empty);
    }

    private static string DescribeRecipient(Recipient? r) => r is null ? "none" : $"{r.Address} {r.Name} {r.Source} {r.Why}";

    private static string Describe(Client? c) => c is null ? "none" : Invariant(
        $"{c.DisplayName} merged {c.MergedInto} retired {c.Retired}: {string.Join(", ", c.Members.OrderBy(m => m.Counterparty.ToString(), StringComparer.Ordinal).Select(m => $"{m.Counterparty} {m.Role} {m.LegalEntity}"))}");

    private static string Describe(Counterparty? c) => c is null ? "none" : Invariant(
        $"{c.Key} {c.Name} {c.TaxId} {c.BranchCode} {c.City} {c.Email} {c.Phone} {c.Manager} {c.Birthday:yyyy-MM-dd} vanished {c.Vanished}");

    private static string Describe(Invoice? i) => Describe(i, i?.SettledOn);

    private static string Describe(Invoice? i, DateOnly? settledOn) => i is null ? "none" : Invariant(
        $"{i.Key} to {i.Counterparty} {i.Number} {i.IssuedOn:yyyy-MM-dd} due {i.DueOn:yyyy-MM-dd} {i.Amount:0.00} paid {i.PaidAmount:0.00} {i.Currency} {i.Manager} settled {settledOn:yyyy-MM-dd} vanished {i.Vanished}");

    private static string Describe(Payment p) => Invariant($"{p.Key} by {p.Counterparty} {p.PaidOn:yyyy-MM-dd} {p.Amount:0.00} for {p.InvoiceId}");

    private static string Describe(Contact c) => Invariant($"{c.Key} of {c.Counterparty} {c.FullName} ({c.Position}) {c.Email} {c.Birthday:yyyy-MM-dd}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<List<T>> ToList<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}

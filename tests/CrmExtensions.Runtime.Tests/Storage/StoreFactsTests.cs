using CrmExtensions.Runtime.Storage;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Runtime.Tests.Storage;

/// <summary>The plugins' as-of streams on the mirror and client tables, on every provider.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class StoreFactsTests(DatabaseProvider provider)
{
    /// <summary>
    /// Client 42: head msk/H (Moscow) and branch spb/B (St Petersburg, another ledger). Invoices: msk/1 due 2025-02-01 for
    /// 100, paid 40 on 02-10 and 60 on 03-05; spb/2 due 2025-02-15 for 50, never paid; msk/3 due 2025-01-20 for 70, no
    /// payments, seen settled on 2025-12-31 (the day of a first sync); msk/4 issued in June. Client 43 has no invoices.
    /// Birthdays carry their month and day (<c>birthday_md</c>) as the mirror writer keeps them.
    /// </summary>
    internal static TestStore Store(DatabaseProvider provider)
    {
        var store = new TestStore(provider);
        using var c = store.Store.Open();
        c.Execute("""
            INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) VALUES (42, 'ООО «Ромашка»', 2, 1, 1, 'x', 'x');
            INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) VALUES (43, 'ИП Лукин П. С.', 1, 1, 0, 'x', 'x');
            INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role, city) VALUES ('msk', 'H', 42, '7707083893', 'head', 'Москва');
            INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role, city) VALUES ('spb', 'B', 42, '7707083893', 'branch', 'Санкт-Петербург');
            INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role) VALUES ('msk', 'IP', 43, '500100732259', 'head');
            INSERT INTO mirror_counterparties (ledger, ledger_id, name, tax_id, city, email, manager, birthday, birthday_md, row_hash, first_seen_at, synced_at)
                VALUES ('msk', 'H', 'ООО «Ромашка»', '7707083893', 'Москва', 'office@romashka.ru', 'Петров', '2004-03-08', '03-08', 0, 'x', 'x');
            INSERT INTO mirror_counterparties (ledger, ledger_id, name, tax_id, city, row_hash, first_seen_at, synced_at)
                VALUES ('spb', 'B', 'Филиал ООО «Ромашка»', '7707083893', 'Санкт-Петербург', 0, 'x', 'x');
            INSERT INTO mirror_counterparties (ledger, ledger_id, name, tax_id, email, birthday, birthday_md, row_hash, first_seen_at, synced_at)
                VALUES ('msk', 'IP', 'ИП Лукин Пётр Сергеевич', '500100732259', 'lukin@mail.ru', '1980-02-29', '02-29', 0, 'x', 'x');
            INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, number, issued_on, due_on, amount, base_amount, row_hash, first_seen_at, synced_at, settled_on)
                VALUES ('msk', '1', 'H', 'A-1', '2025-01-15', '2025-02-01', 1000000, 1000000, 0, 'x', 'x', '2025-12-31');
            INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, number, issued_on, due_on, amount, base_amount, manager, row_hash, first_seen_at, synced_at)
                VALUES ('spb', '2', 'B', 'B-2', '2025-02-01', '2025-02-15', 500000, 500000, 'Иванова', 0, 'x', 'x');
            INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, number, issued_on, due_on, amount, paid_amount, base_amount, base_paid_amount, row_hash, first_seen_at, synced_at, settled_on)
                VALUES ('msk', '3', 'H', 'A-3', '2025-01-05', '2025-01-20', 700000, 700000, 700000, 700000, 0, 'x', 'x', '2025-12-31');
            INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, number, issued_on, due_on, amount, base_amount, row_hash, first_seen_at, synced_at)
                VALUES ('msk', '4', 'H', 'A-4', '2025-06-01', '2025-06-15', 200000, 200000, 0, 'x', 'x');
            INSERT INTO mirror_payments (ledger, ledger_id, counterparty_id, paid_on, amount, base_amount, invoice_id, row_hash, first_seen_at, synced_at)
                VALUES ('msk', 'P1', 'H', '2025-02-10', 400000, 400000, '1', 0, 'x', 'x');
            INSERT INTO mirror_payments (ledger, ledger_id, counterparty_id, paid_on, amount, base_amount, invoice_id, row_hash, first_seen_at, synced_at)
                VALUES ('msk', 'P2', 'H', '2025-03-05', 600000, 600000, '1', 0, 'x', 'x');
            INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, email, birthday, birthday_md, row_hash, first_seen_at, synced_at)
                VALUES ('spb', '77', 'B', 'Смирнова Анна Павловна', 'smirnova@romashka.ru', '1975-01-02', '01-02', 0, 'x', 'x');
            """);
        ClientKeyedMoney.Assign(c);
        return store;
    }

    /// <summary>Every field of an overdue invoice a rule reads, for comparing two answers.</summary>
    internal static string Describe(OverdueInvoice o) => FormattableString.Invariant(
        $"{o.Invoice.Key} {o.Invoice.Number} {o.Invoice.Amount} {o.Invoice.DueOn} {o.Outstanding} {o.DaysOverdue} {o.ClientId} {o.ClientName} {o.CounterpartyName} {o.Role} {o.City} {o.Manager} {o.Email}");

    private static async Task<List<T>> ToList<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    [TestCase("2025-01-20", new string[0])]
    [TestCase("2025-02-01", new[] { "msk/3=70" })]
    [TestCase("2025-02-02", new[] { "msk/3=70", "msk/1=100" })]
    [TestCase("2025-02-10", new[] { "msk/3=70", "msk/1=60" })]
    [TestCase("2025-03-05", new[] { "msk/3=70", "spb/2=50" })]
    [TestCase("2025-12-31", new[] { "spb/2=50", "msk/4=20" })]
    public async Task StreamOverdueInvoicesAsync_AsOfADay_CountsOnlyPaymentsUpToItAndTheSettledDay(string day, string[] expected)
    {
        using var store = Store(provider);
        var facts = new StoreFacts(store.Store);

        var overdue = await ToList(facts.StreamOverdueInvoicesAsync(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None));

        // msk/3 has no dated payments and was seen settled only on 2025-12-31: until that day nothing says it was paid.
        Assert.That(overdue.Select(o => FormattableString.Invariant($"{o.Invoice.Key}={o.Outstanding:0.##}")), Is.EqualTo(expected));
        Assert.That(overdue.Select(o => o.ClientId), Has.All.EqualTo("42"));
    }

    [Test]
    public async Task StreamOverdueInvoicesAsync_SeveralClients_ByClientThenDueDayThenKey()
    {
        using var store = Store(provider);
        using (var c = store.Store.Open())
        {
            // Client 43's invoices, due before client 42's and on one day, inserted out of key order.
            c.Execute("""
                INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, number, issued_on, due_on, amount, base_amount, row_hash, first_seen_at, synced_at, client_id)
                    VALUES ('msk', '9', 'IP', 'L-9', '2024-12-01', '2025-01-10', 300000, 300000, 0, 'x', 'x', 43);
                INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, number, issued_on, due_on, amount, base_amount, row_hash, first_seen_at, synced_at, client_id)
                    VALUES ('msk', '10', 'IP', 'L-10', '2024-12-01', '2025-01-10', 100000, 100000, 0, 'x', 'x', 43);
                INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, number, issued_on, due_on, amount, base_amount, row_hash, first_seen_at, synced_at, client_id)
                    VALUES ('msk', '8', 'IP', 'L-8', '2024-12-01', '2025-01-05', 200000, 200000, 0, 'x', 'x', 43);
                """);
        }

        var facts = new StoreFacts(store.Store);

        var overdue = await ToList(facts.StreamOverdueInvoicesAsync(new DateOnly(2025, 2, 20), CancellationToken.None));

        Assert.That(overdue.Select(o => FormattableString.Invariant($"{o.ClientId}:{o.Invoice.Key}")),
            Is.EqualTo(new[] { "42:msk/3", "42:msk/1", "42:spb/2", "43:msk/8", "43:msk/10", "43:msk/9" }));
    }

    [Test]
    public async Task StreamClientTagsAsync_ValuesInterleaved_InClientIdOrder()
    {
        using var store = Store(provider);
        using (var c = store.Store.Open())
        {
            foreach (var (client, name, value) in new[] { (100L, "t", "a"), (9L, "t", "b"), (42L, "t", "a"), (43L, "t", "b"), (1000L, "t", "b"), (7L, "u", "a") })
            {
                c.Execute("INSERT INTO client_tags (client_id, name, value, plugin_id, updated_at) VALUES (@client, @name, @value, 'p', 'x')", new { client, name, value });
            }
        }

        var tags = await ToList(new StoreFacts(store.Store).StreamClientTagsAsync("t", CancellationToken.None));

        Assert.That(tags.Select(t => t.Key + "=" + t.Value), Is.EqualTo(new[] { "9=b", "42=a", "43=b", "100=a", "1000=b" }));
    }

    [Test]
    public async Task GetClientOverdueInvoicesAsync_BranchInAnotherLedger_BelongsToTheClientWithItsRoleCityAndManager()
    {
        using var store = Store(provider);
        var facts = new StoreFacts(store.Store);

        var overdue = await facts.GetClientOverdueInvoicesAsync("42", new DateOnly(2025, 3, 10), CancellationToken.None);
        var none = await facts.GetClientOverdueInvoicesAsync("43", new DateOnly(2025, 3, 10), CancellationToken.None);

        Assert.That(overdue.Select(o => o.Invoice.Key.ToString()), Is.EqualTo(new[] { "msk/3", "spb/2" }));
        var branch = overdue.Single(o => o.Role == ClientMemberRole.Branch);
        Assert.That((branch.Invoice.Key, branch.Role, branch.City, branch.Manager, branch.ClientName, branch.DaysOverdue),
            Is.EqualTo((new LedgerKey("spb", "2"), ClientMemberRole.Branch, "Санкт-Петербург", "Иванова", "ООО «Ромашка»", 23)));
        Assert.That(none, Is.Empty);
    }

    [TestCase("42", "2025-01-20")]
    [TestCase("42", "2025-02-02")]
    [TestCase("42", "2025-02-10")]
    [TestCase("42", "2025-12-31")]
    [TestCase("43", "2025-12-31")]
    [TestCase("not-a-number", "2025-12-31")]
    public async Task GetOverdueInvoicesAsync_ObsoleteName_ReturnsWhatGetClientOverdueInvoicesAsyncReturns(string client, string day)
    {
        using var store = Store(provider);
        ICrmFacts facts = new StoreFacts(store.Store);
        var asOf = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var renamed = await facts.GetClientOverdueInvoicesAsync(client, asOf, CancellationToken.None);
#pragma warning disable CS0618 // the 1.1 name, as a plugin built against 1.1 calls it
        var old = await facts.GetOverdueInvoicesAsync(client, asOf, CancellationToken.None);
#pragma warning restore CS0618

        Assert.That(old.Select(Describe), Is.EqualTo(renamed.Select(Describe)));
        Assert.That(renamed.Select(o => o.ClientId), Has.All.EqualTo(client));
    }

    [Test]
    public async Task StreamClientFactsAsync_AsOfADay_SumsOverEveryMember()
    {
        using var store = Store(provider);
        var facts = new StoreFacts(store.Store);

        var all = await ToList(facts.StreamClientFactsAsync(new DateOnly(2025, 3, 1), CancellationToken.None));

        Assert.That(all.Select(f => f.ClientId), Is.EqualTo(new[] { "42", "43" }));
        var romashka = all[0];
        Assert.That((romashka.Invoices, romashka.FirstInvoiceOn, romashka.LastInvoiceOn, romashka.RevenueLast12Months, romashka.Payments, romashka.LastPaymentOn),
            Is.EqualTo((3, new DateOnly(2025, 1, 5), new DateOnly(2025, 2, 1), 220m, 1, new DateOnly(2025, 2, 10))));
        Assert.That((romashka.Overdue, romashka.Manager, romashka.Email, romashka.Members), Is.EqualTo((180m, "Петров", "office@romashka.ru", 2)));
        Assert.That((all[1].Invoices, all[1].LastInvoiceOn, all[1].Overdue), Is.EqualTo((0, (DateOnly?)null, 0m)));
    }

    [Test]
    public async Task StreamClientFactsAsync_ClassAndRecipient_AreTheReportsClassAndTheCampaignsRecipient()
    {
        using var store = Store(provider);
        var facts = new StoreFacts(store.Store);
        var reader = new StoreReader(store.Store);

        // Asked for as the stream goes, as a rule does: read then.
        var before = new List<(string Class, string Recipient)>();
        await foreach (var f in facts.StreamClientFactsAsync(new DateOnly(2025, 3, 1), CancellationToken.None))
        {
            before.Add((f.AbcClass, Describe(f.Recipient)));
        }

        using (var c = store.Store.Open())
        {
            // A director's address outranks the contact first by name.
            c.Execute("""
                INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, position, email, row_hash, first_seen_at, synced_at)
                    VALUES ('msk', '78', 'H', 'Ясенев Олег Игоревич', 'Генеральный директор', ' ceo@romashka.ru ', 0, 'x', 'x');
                """);
        }

        var after = await ToList(facts.StreamClientFactsAsync(new DateOnly(2025, 3, 1), CancellationToken.None));

        Assert.That(before.Select(f => f.Class), Is.EqualTo(new[] { "A", "C" }), "all the revenue is client 42's; 43 has none");
        Assert.That(before[0].Recipient, Is.EqualTo("smirnova@romashka.ru Смирнова Анна Павловна Contact contact person"));
        Assert.That(before[1].Recipient, Is.EqualTo("lukin@mail.ru ИП Лукин П. С. HeadEntity head entity's address in the ledger"));
        Assert.That(Describe(after[0].Recipient), Is.EqualTo("ceo@romashka.ru Ясенев Олег Игоревич Director contact person, Генеральный директор"));
        foreach (var f in after)
        {
            Assert.That(Describe(await reader.GetRecipientAsync(f.ClientId, CancellationToken.None)), Is.EqualTo(Describe(f.Recipient)), "one rule, read two ways");
        }

        Assert.That(await reader.GetRecipientAsync("999", CancellationToken.None), Is.Null);
        Assert.That(await reader.GetRecipientAsync("c1", CancellationToken.None), Is.Null);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task StreamClientFactsAsync_DeferredFactsAskedDuringOrAfterTheStream_AreTheSame(bool reverse)
    {
        using var store = Store(provider);
        using (var c = store.Store.Open())
        {
            // A third client with a contact of its own, so the recipients' rows of a client asked for are passed over.
            c.Execute("""
                INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) VALUES (44, 'ООО «Лютик»', 1, 1, 0, 'x', 'x');
                INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role) VALUES ('msk', 'L', 44, '7701000000', 'head');
                INSERT INTO mirror_counterparties (ledger, ledger_id, name, tax_id, row_hash, first_seen_at, synced_at)
                    VALUES ('msk', 'L', 'ООО «Лютик»', '7701000000', 0, 'x', 'x');
                INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, position, email, row_hash, first_seen_at, synced_at)
                    VALUES ('msk', '79', 'L', 'Берёзкин Иван', 'Директор', 'ivan@lutik.ru', 0, 'x', 'x');
                """);
        }

        var facts = new StoreFacts(store.Store);
        var day = new DateOnly(2025, 3, 1);
        var during = new List<string>();
        await foreach (var f in facts.StreamClientFactsAsync(day, CancellationToken.None))
        {
            // Only every other client is asked for as the stream goes: the others' rows are passed over.
            if (f.ClientId != "43")
            {
                during.Add(DescribeDeferred(f));
            }
        }

        var kept = await ToList(facts.StreamClientFactsAsync(day, CancellationToken.None));
        // Asked for after the stream ended, in either order: each read on its own.
        var after = (reverse ? kept.AsEnumerable().Reverse() : kept).Where(f => f.ClientId != "43").Select(DescribeDeferred).ToList();
        if (reverse)
        {
            after.Reverse();
        }

        Assert.That(during, Has.Count.EqualTo(2));
        Assert.That(during[1], Does.Contain("ivan@lutik.ru Берёзкин Иван Director"));
        Assert.That(after, Is.EqualTo(during));
    }

    private static string DescribeDeferred(ClientFacts f) => $"{f.ClientId} {f.Manager} {f.Email} {f.Overdue} {f.AbcClass} {Describe(f.Recipient)}";

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(7)]
    public async Task StreamClientFactsAsync_ManagersAskedForEveryNthClient_AreWhatEachClientsOwnLookUpSays(int every)
    {
        // 300 clients: asked for every client, the managers are soon read in a pass; for every seventh, looked up one by one.
        using var store = Store(provider);
        using (var c = store.Store.Open())
        {
            for (var id = 100; id < 400; id++)
            {
                // Some with a head and a branch of different managers, some with a branch only, some with no manager or address.
                c.Execute("INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) VALUES (@id, @name, 2, 1, 1, 'x', 'x')",
                    new { id, name = "Клиент " + id });
                c.Execute("INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role) VALUES ('msk', @key, @id, @key, 'branch')", new { id, key = "b" + id });
                c.Execute("""
                    INSERT INTO mirror_counterparties (ledger, ledger_id, name, email, manager, row_hash, first_seen_at, synced_at)
                        VALUES ('msk', @key, @key, @email, @manager, 0, 'x', 'x')
                    """, new { key = "b" + id, email = id % 3 == 0 ? null : $"b{id}@x.ru", manager = id % 5 == 0 ? null : "Филиалов" });
                if (id % 4 != 0)
                {
                    c.Execute("INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role) VALUES ('msk', @key, @id, @key, 'head')", new { id, key = "h" + id });
                    c.Execute("""
                        INSERT INTO mirror_counterparties (ledger, ledger_id, name, email, manager, row_hash, first_seen_at, synced_at)
                            VALUES ('msk', @key, @key, @email, @manager, 0, 'x', 'x')
                        """, new { key = "h" + id, email = id % 7 == 0 ? null : $"h{id}@x.ru", manager = id % 2 == 0 ? "Головин" : null });
                }
            }
        }

        var facts = new StoreFacts(store.Store);
        var day = new DateOnly(2025, 3, 1);
        var during = new List<string>();
        var n = 0;
        await foreach (var f in facts.StreamClientFactsAsync(day, CancellationToken.None))
        {
            if (n++ % every == 0)
            {
                during.Add($"{f.ClientId} {f.Manager} {f.Email}");
            }
        }

        var kept = await ToList(facts.StreamClientFactsAsync(day, CancellationToken.None));
        var after = kept.Where((_, i) => i % every == 0).Select(f => $"{f.ClientId} {f.Manager} {f.Email}").ToList();

        Assert.That(during, Has.Count.EqualTo((302 + every - 1) / every));
        Assert.That(during, Is.EqualTo(after));
        Assert.That(after, Does.Contain("42 Петров office@romashka.ru"));
        Assert.That(after.Where(a => a.StartsWith("12", StringComparison.Ordinal) || a.StartsWith("13", StringComparison.Ordinal)), Is.SubsetOf(new[]
        {
            // id % 4 == 0: the branch's alone; else the head's, and the branch's where the head has none.
            "120  ", "121 Филиалов h121@x.ru", "122 Головин h122@x.ru", "123 Филиалов h123@x.ru", "124 Филиалов b124@x.ru", "125  h125@x.ru",
            "126 Головин ", "127 Филиалов h127@x.ru", "128 Филиалов b128@x.ru", "129 Филиалов h129@x.ru", "130 Головин h130@x.ru",
            "131 Филиалов h131@x.ru", "132 Филиалов ", "133 Филиалов b133@x.ru", "134 Головин h134@x.ru", "135  h135@x.ru",
            "136 Филиалов b136@x.ru", "137 Филиалов h137@x.ru", "138 Головин h138@x.ru", "139 Филиалов h139@x.ru",
        }));
    }

    private static string Describe(Recipient? r) => r is null ? "none" : $"{r.Address} {r.Name} {r.Source} {r.Why}";

    [Test]
    public async Task StreamOccasionsAsync_WindowAcrossNewYear_FindsBirthdaysAndTheTwentyNinthOfFebruary()
    {
        using var store = Store(provider);
        var facts = new StoreFacts(store.Store);

        var newYear = await ToList(facts.StreamOccasionsAsync(new DateOnly(2025, 12, 30), new DateOnly(2026, 1, 2), CancellationToken.None));
        var february = await ToList(facts.StreamOccasionsAsync(new DateOnly(2025, 2, 28), new DateOnly(2025, 2, 28), CancellationToken.None));
        var march = await ToList(facts.StreamOccasionsAsync(new DateOnly(2025, 3, 8), new DateOnly(2025, 3, 8), CancellationToken.None));

        Assert.That(newYear.Select(o => (o.Kind, o.Key, o.Date, o.Years, o.ClientId)),
            Is.EqualTo(new[] { (OccasionKind.ContactBirthday, new LedgerKey("spb", "77"), new DateOnly(2026, 1, 2), 51, (string?)"42") }));
        Assert.That(february.Select(o => (o.Kind, o.Name, o.Date)), Is.EqualTo(new[] { (OccasionKind.ProprietorBirthday, "ИП Лукин Пётр Сергеевич", new DateOnly(2025, 2, 28)) }));
        Assert.That(march.Select(o => (o.Kind, o.Years, o.Email)), Is.EqualTo(new[] { (OccasionKind.CompanyAnniversary, 21, (string?)"office@romashka.ru") }));
    }

    [Test]
    public async Task StreamOccasionsAsync_BirthdayNoLivingPersonHas_IsNoOccasion()
    {
        using var store = Store(provider);
        using (var c = store.Store.Open())
        {
            // A ledger's placeholder for a birthday nobody knew, beside a real one the same day.
            c.Execute("""
                INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, birthday, birthday_md, row_hash, first_seen_at, synced_at)
                    VALUES ('spb', '78', 'B', 'Неизвестный Контакт', '1900-01-02', '01-02', 0, 'x', 'x');
                INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, birthday, birthday_md, row_hash, first_seen_at, synced_at)
                    VALUES ('spb', '79', 'B', 'Старейшина Вера Ивановна', '1904-01-02', '01-02', 0, 'x', 'x');
                """);
        }

        var facts = new StoreFacts(store.Store);
        var occasions = await ToList(facts.StreamOccasionsAsync(new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 2), CancellationToken.None));

        Assert.That(occasions.Select(o => (o.Key.Id, o.Years)), Is.EquivalentTo(new[] { ("77", 51), ("79", 122) }));
    }

    [Test]
    public async Task StreamOccasionsAsync_DateFifteenPeopleShareBesideOneReal_IsAPlaceholderNoOccasion()
    {
        using var store = Store(provider);
        using (var c = store.Store.Open())
        {
            // "02.01.1970" written on every card without a birthday, beside a real birthday the same day.
            for (var i = 0; i < 15; i++)
            {
                c.Execute("""
                    INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, birthday, birthday_md, row_hash, first_seen_at, synced_at)
                        VALUES ('spb', @id, 'B', @name, '1970-01-02', '01-02', 0, 'x', 'x')
                    """, new { id = "p" + i, name = "Контакт " + i });
            }
        }

        var facts = new StoreFacts(store.Store);
        var occasions = await ToList(facts.StreamOccasionsAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 3), CancellationToken.None));

        Assert.That(occasions.Select(o => (o.Key.Id, o.Years)), Is.EquivalentTo(new[] { ("77", 51) }));
    }
}

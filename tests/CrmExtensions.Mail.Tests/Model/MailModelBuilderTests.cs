using System.Data.Common;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Mail.Model;
using CrmExtensions.Mail.Templates;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Mail.Tests.Model;

/// <summary>The model and the segments read a real store (SQLite and PostgreSQL) filled as sync and unify fill it.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class MailModelBuilderTests(DatabaseProvider provider)
{
    private static readonly DateOnly Today = new(2026, 11, 24);
    private static readonly MailSender Sender = new("ООО «Поставщик»", "sales@supplier.ru", "+7 495 123-45-67", null);

    private TestDatabase _database = null!;
    private CrmStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(provider);
        _store = TestStores.Create(_database);
        _store.Migrate();
        using var c = _store.Open();
        // Client 1: a head entity in Moscow and a branch in Saint Petersburg, both in the ledger, two contacts.
        Client(c, 1, "ГК «Север»");
        Member(c, "msk", "C1", 1, "7707083893", "ООО «Север»", "head", "770701001", "Москва", "г. Москва");
        Member(c, "spb", "C9", 1, "7707083893", "ООО «Север»", "branch", "781001001", "Санкт-Петербург", "г. Санкт-Петербург");
        Counterparty(c, "msk", "C1", "ООО «Север»", "office@sever.ru", "Олег Кузнецов");
        Counterparty(c, "spb", "C9", "ООО «Север» (СПб)", null, null);
        Invoice(c, "msk", "I1", "C1", "МСК-1", "2026-09-01", "2026-10-01", 1_234.56m, paid: 0m);
        Invoice(c, "msk", "I2", "C1", "МСК-2", "2026-10-20", "2026-11-23", 250_000m, paid: 100_000m);
        Invoice(c, "spb", "I3", "C9", "СПБ-1", "2026-11-10", "2026-12-10", 99.9m, paid: 0m);
        Invoice(c, "msk", "I4", "C1", "МСК-0", "2025-01-10", "2025-02-10", 5_000m, paid: 5_000m, settled: "2025-02-01");
        Payment(c, "msk", "P1", "C1", "I1", 234.56m);
        Contact(c, "msk", "K1", "C1", "Анна Бухгалтер", "Главный бухгалтер", "anna@sever.ru");
        Contact(c, "msk", "K2", "C1", "Иван Директоров", "Генеральный директор", "ivan@sever.ru");
        // Client 2: nothing unpaid, no address anywhere.
        Client(c, 2, "ИП Тихонов");
        Member(c, "msk", "C2", 2, "500100732259", "ИП Тихонов", "head", null, "Химки", "Московская обл.");
        Counterparty(c, "msk", "C2", "ИП Тихонов", null, null);
        Invoice(c, "msk", "I5", "C2", "МСК-5", "2026-06-01", "2026-06-15", 10m, paid: 10m, settled: "2026-06-10");
        ClientKeyedMoney.Assign(c);
    }

    [TearDown]
    public void TearDown() => _database?.Dispose(); // null when SetUp ignored the test (no PostgreSQL)

    private MailModelBuilder Builder() => new(_store, Sender, (client, address) => $"https://u.example/{client}/{address}");

    [Test]
    public void BuildMany_SeveralClientsAndAnUnknownId_GivesEachTheModelBuildGivesInTheOrderAsked()
    {
        using var connection = _store.Open();
        var builder = Builder();

        var many = builder.BuildMany(connection, [2, 999, 1], Today).ToList();

        Assert.That(many.Select(m => m.ClientId), Is.EqualTo(new long[] { 2, 999, 1 }));
        Assert.That(many[1].Model, Is.Null);
        foreach (var (id, model) in many.Where(m => m.ClientId != 999))
        {
            var alone = builder.Build(id, Today)!;
            Assert.That(model!.Invoices, Is.EqualTo(alone.Invoices), $"client {id}");
            Assert.That((model.Totals, model.Contact, model.Manager, model.LastPurchase, model.Recipient, model.UnsubscribeUrl),
                Is.EqualTo((alone.Totals, alone.Contact, alone.Manager, alone.LastPurchase, alone.Recipient, alone.UnsubscribeUrl)), $"client {id}");
            Assert.That(model.Client.LegalEntities, Is.EqualTo(alone.Client.LegalEntities), $"client {id}");
            Assert.That(model.Client.Branches, Is.EqualTo(alone.Client.Branches), $"client {id}");
        }
    }

    [Test]
    public void Build_ClientWithUnpaidInvoices_HasItsFactsInExactMoney()
    {
        var model = Builder().Build(1, Today)!;

        Assert.That(model.Client.Name, Is.EqualTo("ГК «Север»"));
        Assert.That(model.Client.Region, Is.EqualTo("г. Москва"));
        Assert.That(model.Client.LegalEntities.Select(e => (e.Name, e.Inn, e.Kpp)), Is.EqualTo(new[] { ("ООО «Север»", (string?)"7707083893", (string?)"770701001") }));
        Assert.That(model.Client.Branches.Select(b => (b.Kpp, b.City)), Is.EqualTo(new[] { ((string?)"781001001", (string?)"Санкт-Петербург") }));
        Assert.That(model.Invoices.Select(i => (i.Number, i.Due, i.Overdue, i.DaysOverdue)), Is.EqualTo(new[]
        {
            ("МСК-1", 1_000m, true, 54), ("МСК-2", 150_000m, true, 1), ("СПБ-1", 99.9m, false, 0),
        }));
        Assert.That(model.Totals, Is.EqualTo(new MailTotals(151_099.9m, 3, 151_000m, 2, 251_334.46m)));
        Assert.That(model.LastPurchase, Is.EqualTo(new MailPurchase("СПБ-1", new DateOnly(2026, 11, 10), 99.9m)));
        Assert.That(model.Manager?.Name, Is.EqualTo("Олег Кузнецов"));
    }

    [Test]
    public void Build_Recipient_IsAContactWithAnAddressDirectorFirst()
    {
        var model = Builder().Build(1, Today)!;

        Assert.That(model.Recipient, Is.EqualTo(new MailRecipient("ivan@sever.ru", "Иван Директоров")));
        Assert.That(model.Contact?.Name, Is.EqualTo("Иван Директоров"));
        Assert.That(model.UnsubscribeUrl, Is.EqualTo("https://u.example/1/ivan@sever.ru"));
    }

    [Test]
    public void Build_NoAddressAnywhere_HasNoRecipient()
    {
        var model = Builder().Build(2, Today)!;

        Assert.That(model.Recipient, Is.Null);
        Assert.That(model.Invoices, Is.Empty);
        Assert.That(model.Totals.UnpaidCount, Is.Zero);
    }

    [Test]
    public void Build_RendersTheSamplePack()
    {
        var pack = TemplatePack.Load(Path.Combine(TestEnvironment.RepoRoot, "samples", "campaigns", "statement"), MailModel.Variables);

        var mail = pack.Render(Builder().Build(1, Today)!.ToTemplateModel());

        Assert.That(mail.Subject, Is.EqualTo("ГК «Север»: 3\u00A0неоплаченных счёта на 151\u00A0099,90\u00A0₽"));
        Assert.That(mail.Text, Does.Contain("просрочен на 54\u00A0дня").And.Contain("Здравствуйте, Иван Директоров!"));
    }

    [TestCase("overdue=yes", new long[] { 1 })]
    [TestCase("overdue=no", new long[] { 2 })]
    [TestCase("region=Москва", new long[] { 1 })]
    [TestCase("region=Московская обл.", new long[] { 2 })]
    [TestCase("abc=A", new long[] { 1 })]
    [TestCase("abc=C", new long[] { 2 })]
    public void SelectClients_Segment_FindsItsClients(string segment, long[] expected)
    {
        using var connection = _store.Open();
        Assert.That(Segment.SelectClients(connection, [Segment.Parse(segment)], Today), Is.EqualTo(expected));
    }

    [Test]
    public async Task Campaign_SentTwice_QueuesOnceAndSkipsTheClientWithoutAddress()
    {
        using var store = new Mail.Outbox.OutboxStore(_store);
        var outbox = new OutboxCampaignOutbox(store, new Mail.Consent.UnsubscribeLinks("https://u.example", "a-secret-of-sixteen-chars", TimeProvider.System));
        var runner = new CampaignRunner(_store, Builder(), outbox, new Store.Campaigns.CampaignGroupWriter(_store));
        var pack = TemplatePack.Load(Path.Combine(TestEnvironment.RepoRoot, "samples", "campaigns", "statement"), MailModel.Variables);
        // Queuing once is the point here: no control group, no holding back (both are tested on the sample ledgers).
        var request = new CampaignRequest("autumn", pack, []) { HoldoutPercent = 0, HoldBack = new() { HoldBackProblems = false } };

        var first = await runner.RunAsync(request, Today, CancellationToken.None);
        var second = await runner.RunAsync(request, Today, CancellationToken.None);

        Assert.That((first.Selected, first.Queued, first.SkippedClients), Is.EqualTo((2, 1, (IReadOnlyList<long>)[2L])));
        Assert.That((second.Queued, second.AlreadyQueued), Is.EqualTo((0, 1)));
        Assert.That(outbox.Status("campaign:autumn"), Is.EqualTo(new[] { ("queued", 1L) }));
        Assert.That(first.Messages[0].BusinessKey, Is.EqualTo("campaign:autumn:1"));
    }

    private static void Client(DbConnection c, long id, string name) => c.Execute(
        "INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) VALUES (@id, @name, 1, 1, 0, 'x', 'x')", new { id, name });

    private static void Member(DbConnection c, string ledger, string id, long client, string? inn, string entity, string role, string? kpp, string city, string region) => c.Execute(
        "INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, entity_name, tax_id, role, branch_code, city, region) " +
        "VALUES (@ledger, @id, @client, @entity_key, @entity, @inn, @role, @kpp, @city, @region)",
        new { ledger, id, client, entity_key = inn ?? "client/" + client, entity, inn, role, kpp, city, region });

    private static void Counterparty(DbConnection c, string ledger, string id, string name, string? email, string? manager) => c.Execute(
        "INSERT INTO mirror_counterparties (ledger, ledger_id, name, email, manager, row_hash, first_seen_at, synced_at) VALUES (@ledger, @id, @name, @email, @manager, 0, 'x', 'x')",
        new { ledger, id, name, email, manager });

    private static void Invoice(DbConnection c, string ledger, string id, string counterparty, string number, string issued, string due, decimal amount, decimal paid, string? settled = null) => c.Execute(
        "INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, issued_on, amount, base_amount, number, due_on, paid_amount, base_paid_amount, settled_on, row_hash, first_seen_at, synced_at) " +
        "VALUES (@ledger, @id, @counterparty, @issued, @amount, @amount, @number, @due, @paid, @paid, @settled, 0, 'x', 'x')",
        new { ledger, id, counterparty, issued, amount = Store.Mirror.Money.ToStored(amount), number, due, paid = Store.Mirror.Money.ToStored(paid), settled });

    private static void Payment(DbConnection c, string ledger, string id, string counterparty, string invoice, decimal amount) => c.Execute(
        "INSERT INTO mirror_payments (ledger, ledger_id, counterparty_id, paid_on, amount, base_amount, invoice_id, row_hash, first_seen_at, synced_at) " +
        "VALUES (@ledger, @id, @counterparty, '2026-10-05', @amount, @amount, @invoice, 0, 'x', 'x')",
        new { ledger, id, counterparty, invoice, amount = Store.Mirror.Money.ToStored(amount) });

    private static void Contact(DbConnection c, string ledger, string id, string counterparty, string name, string position, string email) => c.Execute(
        "INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, position, email, row_hash, first_seen_at, synced_at) " +
        "VALUES (@ledger, @id, @counterparty, @name, @position, @email, 0, 'x', 'x')",
        new { ledger, id, counterparty, name, position, email });
}

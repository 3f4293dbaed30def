using CrmExtensions.Plugins.Receivables;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Plugins.Tests.Receivables;

public sealed class OverdueDebtGuardTests
{
    private static readonly LedgerKey Head = new("msk", "000000101");
    private static readonly LedgerKey Branch = new("spb", "000000707");
    private static readonly LedgerKey BranchInvoice = new("spb", "9001");

    /// <summary>One client: the head office in the Moscow ledger, a branch in the St Petersburg one, which owes an invoice due 1 March.</summary>
    private static InMemoryCrm Client() => new InMemoryCrm()
        .AddCounterparty(new Counterparty { Key = Head, Name = "ООО «Ромашка»", TaxId = "7707083893", BranchCode = "770701001", City = "Москва", Manager = "Петров П. П." })
        .AddCounterparty(new Counterparty { Key = Branch, Name = "Филиал ООО «Ромашка» в г. Санкт-Петербург", TaxId = "7707083893", BranchCode = "780202001", City = "Санкт-Петербург" })
        .AddClient(new Client
        {
            ClientId = "42", DisplayName = "ООО «Ромашка»",
            Members = [new ClientMember { Counterparty = Head, Role = ClientMemberRole.Head }, new ClientMember { Counterparty = Branch, Role = ClientMemberRole.Branch }],
        })
        .AddInvoice(new Invoice { Key = BranchInvoice, Counterparty = Branch, Number = "СПб-17", IssuedOn = new(2025, 2, 1), DueOn = new(2025, 3, 1), Amount = 120_000m, Currency = "RUB" });

    private static Deal DealWithHead(string stage = "offer") => new()
    {
        Id = "D1", PluginId = "CrmExtensions.Deals", Pipeline = "sales", Stage = stage, Title = "Поставка", Counterparty = Head, CreatedAt = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero),
    };

    private static PluginHarness Harness(InMemoryCrm crm, DateOnly today, Dictionary<string, string>? settings = null) =>
        PluginHarness.CreateWithSettings<Startup>(settings, crm, new FakeTimeProvider(new DateTimeOffset(today.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero)),
            ShippedPlugins.Built(ShippedPlugins.Receivables));

    [Test]
    public async Task CheckAsync_OverdueInvoiceOnABranchLedger_DeniesAMoveOfTheHeadOfficesDealNamingTheBranch()
    {
        using var harness = Harness(Client(), new DateOnly(2025, 3, 11));

        var decision = await harness.CheckStageGuardsAsync(DealWithHead(), new StageMove("offer", "won"));

        Assert.That(decision.Allowed, Is.False);
        Assert.That(decision.Reason, Does.Contain("«ООО «Ромашка»» has 120\u00A0000,00 ₽ overdue on 1 invoice(s)")
            .And.Contain("invoice СПб-17 (spb/9001) to the branch «Филиал ООО «Ромашка» в г. Санкт-Петербург» in Санкт-Петербург, 10 days overdue"));
    }

    [Test]
    public async Task CheckAsync_AfterThePaymentIsSynced_AllowsTheMove()
    {
        var crm = Client().AddPayment(new Payment { Key = new("spb", "P1"), Counterparty = Branch, PaidOn = new(2025, 3, 12), Amount = 120_000m, InvoiceId = BranchInvoice.Id });
        using var harness = Harness(crm, new DateOnly(2025, 3, 12));

        var decision = await harness.CheckStageGuardsAsync(DealWithHead(), new StageMove("offer", "won"));

        Assert.That(decision.Allowed, Is.True, decision.Reason);
    }

    [Test]
    public async Task CheckAsync_BeforeTheDueDateOrUnderTheThreshold_Allows()
    {
        using var early = Harness(Client(), new DateOnly(2025, 3, 1));
        using var tolerant = Harness(Client(), new DateOnly(2025, 3, 11), new() { ["guardThreshold"] = "150000" });

        Assert.That((await early.CheckStageGuardsAsync(DealWithHead(), new StageMove("offer", "won"))).Allowed, Is.True, "due today is not overdue");
        Assert.That((await tolerant.CheckStageGuardsAsync(DealWithHead(), new StageMove("offer", "won"))).Allowed, Is.True);
    }

    [Test]
    public async Task CheckAsync_MoveToLost_AllowedWhateverTheDebt()
    {
        using var harness = Harness(Client(), new DateOnly(2025, 6, 1));

        var decision = await harness.CheckStageGuardsAsync(DealWithHead(), new StageMove("offer", "lost"));

        Assert.That(decision.Allowed, Is.True);
    }
}

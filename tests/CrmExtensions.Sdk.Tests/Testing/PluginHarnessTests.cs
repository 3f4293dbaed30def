using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Storage;
using CrmExtensions.Sdk.Testing;
using CrmExtensions.Testing;

[assembly: CrmExtensions.Sdk.CrmPlugin("Sdk.Tests", "1.0.0")]

namespace CrmExtensions.Sdk.Tests.Testing;

public sealed class PluginHarnessTests
{
    public sealed class DealsStartup : PluginStartup
    {
        public override void Configure(IPluginBuilder plugin) =>
            plugin.AddPipeline(new PipelineDefinition { Name = "sales", Stages = ["lead", "offer", "won", "lost"], Moves = [new("lead", "offer"), new("offer", "won")] })
                .AddStageGuard<NoWinWithoutAmount>()
                .AddEventHandler<DealOpener>(EventTypes.InvoiceCreated);
    }

    public sealed class NoWinWithoutAmount : IStageGuard
    {
        public Task<GuardDecision> CheckAsync(Deal deal, StageMove move, CancellationToken cancellationToken) =>
            Task.FromResult(move.To == "won" && deal.Amount is null ? GuardDecision.Deny("a won deal needs an amount") : GuardDecision.Allow);
    }

    public sealed class DealOpener(ICrmWriter writer) : IEventHandler
    {
        public async Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
        {
            var id = await writer.OpenDealAsync(new NewDeal { Pipeline = "sales", Title = crmEvent.LedgerId, Counterparty = new(crmEvent.Ledger, crmEvent.LedgerId) }, cancellationToken);
            await writer.MoveDealAsync(id, "offer", cancellationToken);
            if (crmEvent.Data is { } second)
            {
                await writer.MoveDealAsync(id, second, cancellationToken);
            }
        }
    }

    public sealed class TaggingStartup : PluginStartup
    {
        public override void Configure(IPluginBuilder plugin) => plugin.AddEventHandler<Tagger>("client.tag");
    }

    /// <summary>Tags the client named by the event's row id.</summary>
    public sealed class Tagger(ICrmWriter writer) : IEventHandler
    {
        public Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken) =>
            writer.SetClientTagAsync(crmEvent.LedgerId, "test.stage", "lead", cancellationToken);
    }

    public sealed class TemplatesStartup : PluginStartup
    {
        public override void Configure(IPluginBuilder plugin) => plugin.AddTemplates("templates");
    }

    [Test]
    public async Task RaiseAsync_AllowedMoves_LeaveTheDealInItsLastStage()
    {
        using var harness = PluginHarness.Create<DealsStartup>();

        await harness.RaiseAsync(EventTypes.InvoiceCreated, new LedgerKey("main", "I1"));

        Assert.That(harness.Crm.Deals.Select(d => (d.Title, d.Stage)), Is.EqualTo(new[] { ("I1", "offer") }));
    }

    [Test]
    public void RaiseAsync_MoveNotInThePipeline_ThrowsAndWritesNothing()
    {
        using var harness = PluginHarness.Create<DealsStartup>();

        Assert.That(() => harness.RaiseAsync(EventTypes.InvoiceCreated, new LedgerKey("main", "I1"), "lost"),
            Throws.TypeOf<StageMoveException>().With.Message.EqualTo("Pipeline 'sales' does not allow a deal to move from 'offer' to 'lost'."));
        Assert.That(harness.Crm.Deals, Is.Empty);
    }

    [Test]
    public void RaiseAsync_GuardDenies_ThrowsWithTheGuardsReason()
    {
        using var harness = PluginHarness.Create<DealsStartup>();

        Assert.That(() => harness.RaiseAsync(EventTypes.InvoiceCreated, new LedgerKey("main", "I1"), "won"),
            Throws.TypeOf<StageMoveException>().With.Message.EndsWith("cannot move from 'offer' to 'won': a won deal needs an amount"));
    }

    [Test]
    public void SetClientTagAsync_ClientTheKitWasNotSeededWith_RefusedAsTheHostRefusesIt()
    {
        using var harness = PluginHarness.Create<TaggingStartup>(new InMemoryCrm().AddClient(new Client { ClientId = "42", DisplayName = "ООО «Ромашка»" }));

        Assert.That(() => harness.RaiseAsync("client.tag", new LedgerKey("", "c1")), Throws.ArgumentException.With.Message.StartsWith(
            "There is no client 'c1'; client ids are opaque text, and only the ones the CRM handed out (Client.ClientId, ClientFacts.ClientId and the like) are accepted."));
        Assert.That(harness.Crm.ClientTags, Is.Empty);
    }

    [TestCase("c1")]
    [TestCase("42")]
    [TestCase("клиент/7")]
    public async Task SetClientTagAsync_AnyIdTheKitWasSeededWith_Accepted(string clientId)
    {
        using var harness = PluginHarness.Create<TaggingStartup>(new InMemoryCrm().AddClient(new Client { ClientId = clientId, DisplayName = "ООО «Ромашка»" }));

        await harness.RaiseAsync("client.tag", new LedgerKey("", clientId));

        Assert.That(harness.Crm.ClientTags, Is.EqualTo(new Dictionary<(string, string), string> { [(clientId, "test.stage")] = "lead" }));
    }

    [Test]
    public void Create_BrokenTemplates_ReportsEveryErrorWithFileLineAndColumn()
    {
        using var folder = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(folder.Path, "templates"));
        File.WriteAllText(Path.Combine(folder.Path, "templates", "a.scriban"), "Hello {{ 2 * }}");
        File.WriteAllText(Path.Combine(folder.Path, "templates", "b.scriban"), "ok\n{{ 1 + }}");

        var exception = Assert.Throws<TemplateException>(() => PluginHarness.Create<TemplatesStartup>(pluginDirectory: folder.Path));

        Assert.That(exception!.Errors, Has.Some.StartsWith("templates/a.scriban(1,").And.Some.StartsWith("templates/b.scriban(2,"), string.Join("\n", exception.Errors));
    }

    [Test]
    public void Render_UnknownVariable_FailsInsteadOfPrintingNothing()
    {
        using var folder = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(folder.Path, "templates"));
        File.WriteAllText(Path.Combine(folder.Path, "templates", "hi.scriban"), "Subject: Hi {{ name }}\nBody {{ missing }}");
        using var harness = PluginHarness.Create<TemplatesStartup>(pluginDirectory: folder.Path);

        var model = new Dictionary<string, object?> { ["name"] = "Ann" };

        Assert.That(() => harness.Render(new Mail.OutgoingMail { Key = "k", Template = "hi", To = "a@b.c", Model = model }),
            Throws.TypeOf<TemplateException>().With.Message.StartsWith("templates/hi.scriban"));
    }
}

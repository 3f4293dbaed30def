using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Sdk.Storage;

// Written as against SDK 1.0: ICrmReader.GetOverdueInvoicesAsync, obsolete since 1.2, must keep answering.
#pragma warning disable CS0618

[assembly: CrmPlugin("Test.Good", "1.2.3", Description = "A well-behaved plugin that uses every contribution.")]

namespace Good;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddEventHandler<SeenHandler>()
            .AddEventHandler<InvoiceHandler>(EventTypes.InvoiceCreated, EventTypes.InvoicePaid)
            .AddReminder<OverdueRule>()
            .AddPipeline(new PipelineDefinition { Name = "sales", Stages = ["lead", "qualified", "won", "lost"] })
            .AddReport<SeenReport>()
            .AddTemplates("templates");
}

/// <summary>Records one activity per event it sees; the dispatch tests count them.</summary>
public sealed class SeenHandler(ICrmWriter writer, IPluginStore data) : IEventHandler
{
    public async Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
    {
        // Lets the crash test slow dispatch down enough to kill the host in the middle of it.
        if (int.TryParse(Environment.GetEnvironmentVariable("CRMX_TEST_HANDLER_DELAY_MS"), CultureInfo.InvariantCulture, out var delay) && delay > 0)
        {
            await Task.Delay(delay, cancellationToken);
        }

        await writer.AddActivityAsync(new NewActivity
        {
            Kind = "seen",
            Subject = "seen " + crmEvent.Sequence.ToString(CultureInfo.InvariantCulture),
            Counterparty = new LedgerKey(crmEvent.Ledger, crmEvent.LedgerId),
        }, cancellationToken);

        // The order the events arrived in, for the ordering tests.
        var order = await data.GetAsync("order", cancellationToken);
        await data.SetAsync("order", (order is null ? "" : order + ",") + crmEvent.Sequence.ToString(CultureInfo.InvariantCulture), cancellationToken);
    }
}

/// <summary>Records invoice events and the last invoice seen; opens a deal for new invoices.</summary>
public sealed class InvoiceHandler(ICrmWriter writer, IPluginStore data, ICrmReader reader) : IEventHandler
{
    public async Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
    {
        var invoice = await reader.GetInvoiceAsync(new LedgerKey(crmEvent.Ledger, crmEvent.LedgerId), cancellationToken);
        var counterparty = invoice?.Counterparty ?? new LedgerKey(crmEvent.Ledger, crmEvent.LedgerId);
        await writer.AddActivityAsync(new NewActivity { Kind = "invoice", Subject = crmEvent.Type + " " + crmEvent.Sequence.ToString(CultureInfo.InvariantCulture), Counterparty = counterparty }, cancellationToken);
        await data.SetAsync("last-invoice", crmEvent.LedgerId, cancellationToken);
        if (crmEvent.Type == EventTypes.InvoiceCreated)
        {
            var deal = await writer.OpenDealAsync(new NewDeal { Pipeline = "sales", Title = "Invoice " + crmEvent.LedgerId, Counterparty = counterparty, Amount = invoice?.Amount }, cancellationToken);
            await writer.MoveDealAsync(deal, "qualified", cancellationToken);
        }
    }
}

public sealed class OverdueRule(ICrmReader reader) : IReminderRule
{
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        var overdue = await reader.GetOverdueInvoicesAsync(context.Today, 1000, cancellationToken);
        return overdue.Select(i => new Reminder
        {
            Key = "overdue:" + i.Key,
            Title = "Call about invoice " + (i.Number ?? i.Key.Id),
            DueOn = context.Today,
            Counterparty = i.Counterparty,
            Mail = new OutgoingMail
            {
                Key = "dunning:" + i.Key + ":1",
                Template = "overdue",
                To = "ar@example.com",
                Model = new Dictionary<string, object?> { ["number"] = i.Number ?? i.Key.Id, ["amount"] = i.Amount, ["due_on"] = i.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            },
        }).ToList();
    }
}

public sealed class SeenReport(ICrmReader reader) : IReport
{
    public string Name => "seen";

    public async Task<ReportTable> RunAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var activities = await reader.GetActivitiesAsync(new LedgerKey("main", "C1"), cancellationToken);
        return new ReportTable { Columns = ["subject"], Rows = activities.Select(a => (IReadOnlyList<string>)[a.Subject]).ToList() };
    }
}

using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Storage;

[assembly: CrmPlugin("Test.Payloads", "1.0.0", Description = "Records the document each event carries (SDK 1.2), without reading it itself.")]

namespace Payloads;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddEventHandler<PayloadHandler>(EventTypes.InvoicePaid, EventTypes.CounterpartyCreated, EventTypes.PaymentCreated,
            EventTypes.DealOpened, EventTypes.DealMoved);
}

/// <summary>Writes "TYPE LEDGER/ID" → what the event's document says, into its plugin data.</summary>
public sealed class PayloadHandler(IPluginStore data) : IEventHandler
{
    public Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
    {
        var said = crmEvent switch
        {
            { Invoice: { } i } => string.Create(CultureInfo.InvariantCulture, $"invoice {i.Number} {i.Amount:0.00} settled {i.SettledOn:yyyy-MM-dd}"),
            { Payment: { } p } => string.Create(CultureInfo.InvariantCulture, $"payment {p.Amount:0.00} on {p.PaidOn:yyyy-MM-dd} for {p.InvoiceId}"),
            { Counterparty: { } c } => $"counterparty {c.Name} {c.TaxId}",
            { Deal: { } d } => $"deal {d.Title} in {d.Stage} ({crmEvent.Data})",
            _ => "nothing",
        };
        return data.SetAsync($"{crmEvent.Type} {crmEvent.Ledger}/{crmEvent.LedgerId}", said, cancellationToken);
    }
}

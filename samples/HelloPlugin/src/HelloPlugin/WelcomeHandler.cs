using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Storage;

namespace HelloPlugin;

/// <summary>Plans a welcome call for every new counterparty.</summary>
public sealed class WelcomeHandler(ICrmReader crm, ICrmWriter writer) : IEventHandler
{
    /// <inheritdoc />
    public async Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crmEvent);
        var key = new LedgerKey(crmEvent.Ledger, crmEvent.LedgerId);
        var counterparty = await crm.GetCounterpartyAsync(key, cancellationToken);
        await writer.AddActivityAsync(new NewActivity
        {
            Kind = "call",
            Subject = "Welcome call to " + (counterparty?.Name ?? key.ToString()),
            Counterparty = key,
        }, cancellationToken);
    }
}

using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Storage;

[assembly: CrmPlugin("Test.ThrowsInHandler", "1.0.0")]

namespace ThrowsInHandler;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) => plugin.AddEventHandler<Thrower>();
}

/// <summary>Writes, then throws: the write must not survive.</summary>
public sealed class Thrower(ICrmWriter writer) : IEventHandler
{
    public async Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
    {
        await writer.AddActivityAsync(new NewActivity { Kind = "before-throw", Subject = "must not be kept", Counterparty = new LedgerKey(crmEvent.Ledger, crmEvent.LedgerId) }, cancellationToken);
        throw new InvalidOperationException("boom in handler");
    }
}

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

/// <summary>Writes, then throws: the write must not survive. With the setting <c>exitOnce</c> (a file's path) it first
/// ends its process, after the write, on the first event it is given (creating the file so that it does so once).</summary>
public sealed class Thrower(ICrmWriter writer, IPluginSettings settings) : IEventHandler
{
    public async Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
    {
        await writer.AddActivityAsync(new NewActivity { Kind = "before-throw", Subject = "must not be kept", Counterparty = new LedgerKey(crmEvent.Ledger, crmEvent.LedgerId) }, cancellationToken);
        if (settings.Get("exitOnce") is { } marker && !File.Exists(marker))
        {
            await File.WriteAllTextAsync(marker, crmEvent.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            Environment.Exit(42);
        }

        throw new InvalidOperationException("boom in handler");
    }
}

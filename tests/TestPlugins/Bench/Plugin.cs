using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Events;

// The load benchmark copies this plugin under ids Test.Bench.00 … Test.Bench.19 (same length, patched in the copy).
[assembly: CrmPlugin("Test.Bench.00", "1.0.0")]

namespace Bench;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddEventHandler<Nothing>(EventTypes.InvoicePaid).AddTemplates("templates");
}

public sealed class Nothing : IEventHandler
{
    public Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}

using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Events;

[assembly: CrmPlugin("Test.Hangs", "1.0.0")]

namespace Hangs;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) => plugin.AddEventHandler<Hanger>();
}

/// <summary>Never returns and ignores its token.</summary>
public sealed class Hanger : IEventHandler
{
    public Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken) => new TaskCompletionSource().Task;
}

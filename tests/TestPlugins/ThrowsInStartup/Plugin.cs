using CrmExtensions.Sdk;

[assembly: CrmPlugin("Test.ThrowsInStartup", "1.0.0")]

namespace ThrowsInStartup;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) =>
        throw new InvalidOperationException("boom in startup");
}

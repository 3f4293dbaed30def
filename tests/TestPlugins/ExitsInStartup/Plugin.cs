using CrmExtensions.Sdk;

[assembly: CrmPlugin("Test.ExitsInStartup", "1.0.0", Description = "Ends its process with exit code 42 in its startup.")]

namespace ExitsInStartup;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) => Environment.Exit(42);
}

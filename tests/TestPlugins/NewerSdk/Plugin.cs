using CrmExtensions.Sdk;

[assembly: CrmPlugin("Test.NewerSdk", "1.0.0")]

namespace NewerSdk;

public sealed class Startup : PluginStartup
{
}

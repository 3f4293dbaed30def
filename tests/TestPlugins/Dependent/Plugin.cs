using CrmExtensions.Sdk;

[assembly: CrmPlugin("Test.Dependent", "1.0.0")]
[assembly: CrmPluginDependency("Test.Good")]

namespace Dependent;

/// <summary>Needs Test.Good: loads after it, and is refused without it.</summary>
public sealed class Startup : PluginStartup
{
}

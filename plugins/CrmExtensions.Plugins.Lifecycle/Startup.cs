using CrmExtensions.Plugins.Lifecycle;
using CrmExtensions.Sdk;

[assembly: CrmPlugin(Startup.Id, "1.0.0")]

namespace CrmExtensions.Plugins.Lifecycle;

/// <summary>Registers the lifecycle rule: every client's stage as a tag, and a reminder when a client starts to lapse.</summary>
public sealed class Startup : PluginStartup
{
    /// <summary>The plugin's id, under which its settings are read (<c>plugins.settings.CrmExtensions.Lifecycle</c>).</summary>
    public const string Id = "CrmExtensions.Lifecycle";

    /// <inheritdoc />
    public override void Configure(IPluginBuilder plugin) => plugin.AddReminder<LifecycleRule>();
}

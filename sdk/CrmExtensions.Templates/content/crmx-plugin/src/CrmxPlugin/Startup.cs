using CrmExtensions.Sdk;

[assembly: CrmPlugin(CrmxPlugin.Startup.Id, "1.0.0", Description = "Thanks clients for a payment that leaves nothing overdue.")]

namespace CrmxPlugin;

/// <summary>Registers what the plugin contributes.</summary>
public sealed class Startup : PluginStartup
{
    /// <summary>The plugin's id, as crmx lists it and as its mail keys begin.</summary>
    public const string Id = "CrmxPlugin";

    /// <inheritdoc />
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddReminder<PaymentThanksRule>()
            .AddTemplates("templates");
}

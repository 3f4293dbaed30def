using CrmExtensions.Plugins.Receivables;
using CrmExtensions.Sdk;

[assembly: CrmPlugin(Startup.Id, "1.0.0")]

namespace CrmExtensions.Plugins.Receivables;

/// <summary>Registers the dunning rule, its letters, the pipeline guard and the dunning report.</summary>
public sealed class Startup : PluginStartup
{
    /// <summary>The plugin's id, under which its settings are read (<c>plugins.settings.CrmExtensions.Receivables</c>).</summary>
    public const string Id = "CrmExtensions.Receivables";

    /// <inheritdoc />
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddReminder<DunningRule>().AddStageGuard<OverdueDebtGuard>().AddReport<DunningReport>().AddTemplates("templates");
}

using CrmExtensions.Plugins.Sales;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Pipelines;

[assembly: CrmPlugin(Startup.Id, "1.0.0", Description = "The default sales pipeline: lead → offer → invoiced → won, or lost from any open stage.")]

namespace CrmExtensions.Plugins.Sales;

/// <summary>Registers the default sales pipeline; other plugins' guards (such as Receivables') may refuse its moves.</summary>
public sealed class Startup : PluginStartup
{
    /// <summary>The plugin's id.</summary>
    public const string Id = "CrmExtensions.Sales";

    /// <summary>The pipeline's name, as <c>crmx deals add --pipeline</c> takes it.</summary>
    public const string Pipeline = "sales";

    /// <inheritdoc />
    public override void Configure(IPluginBuilder plugin) => plugin.AddPipeline(new PipelineDefinition
    {
        Name = Pipeline,
        Stages = ["lead", "offer", "invoiced", "won", "lost"],
        Moves =
        [
            new("lead", "offer"), new("offer", "invoiced"), new("invoiced", "won"),
            new("offer", "lead"), new("lead", "lost"), new("offer", "lost"), new("invoiced", "lost"),
        ],
        WonStages = ["won"],
        LostStages = ["lost"],
    });
}

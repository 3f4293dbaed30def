using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Sdk.Workspace;

[assembly: CrmPlugin("Test.CrashesInViews", "1.0.0", Description = "A report, a client panel and a page that fail in a way no process survives; its setting 'failure' says how.")]

namespace CrashesInViews;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddReport<CrashingReport>().AddClientPanel<CrashingPanel>().AddPage<CrashingPage>().AddTemplates("templates");
}

/// <summary>How the plugin's report, panel and page fail, as its setting <c>failure</c> says (<see cref="TestPlugins.Shared.Failure"/>);
/// with no setting they work.</summary>
internal static class Failure
{
    public static void Happen(IPluginSettings settings) => TestPlugins.Shared.Failure.Happen(settings.Get("failure"));
}

public sealed class CrashingReport(IPluginSettings settings) : IRangeReport
{
    public string Name => "crash";

    public string Title => "Crashing report";

    public Task<ReportTable> RunAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        Failure.Happen(settings);
        return Task.FromResult(new ReportTable { Columns = ["survived"], Rows = [["yes"]] });
    }
}

public sealed class CrashingPanel(IPluginSettings settings) : IClientPanel
{
    public string Title => "Crashing panel";

    public string Template => "card";

    public Task<IReadOnlyDictionary<string, object?>?> GetDataAsync(string clientId, CancellationToken cancellationToken)
    {
        Failure.Happen(settings);
        return Task.FromResult<IReadOnlyDictionary<string, object?>?>(new Dictionary<string, object?> { ["client"] = clientId });
    }
}

public sealed class CrashingPage(IPluginSettings settings) : IPluginPage
{
    public string Name => "crash";

    public string Title => "Crashing page";

    public string Template => "card";

    public Task<IReadOnlyDictionary<string, object?>> GetDataAsync(CancellationToken cancellationToken)
    {
        Failure.Happen(settings);
        return Task.FromResult<IReadOnlyDictionary<string, object?>>(new Dictionary<string, object?> { ["client"] = "none" });
    }
}

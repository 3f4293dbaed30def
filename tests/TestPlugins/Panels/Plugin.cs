using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Workspace;

[assembly: CrmPlugin("Test.Panels", "1.0.0", Description = "Client-card panels that render, hide, throw and name a missing template; and a page.")]

namespace Panels;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddClientPanel<EchoPanel>()
            .AddClientPanel<HiddenPanel>()
            .AddClientPanel<ThrowingPanel>()
            .AddClientPanel<MissingTemplatePanel>()
            .AddPage<SummaryPage>()
            .AddTemplates("templates");
}

/// <summary>Shows the client id and a value with markup in it, which the sandbox must escape.</summary>
public sealed class EchoPanel : IClientPanel
{
    public string Title => "Echo";

    public string Template => "echo";

    public Task<IReadOnlyDictionary<string, object?>?> GetDataAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, object?>?>(new Dictionary<string, object?> { ["client"] = clientId, ["note"] = "<b>bold</b> & co" });
}

/// <summary>Has nothing to show.</summary>
public sealed class HiddenPanel : IClientPanel
{
    public string Title => "Hidden";

    public string Template => "echo";

    public Task<IReadOnlyDictionary<string, object?>?> GetDataAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, object?>?>(null);
}

public sealed class ThrowingPanel : IClientPanel
{
    public string Title => "Throws";

    public string Template => "echo";

    public Task<IReadOnlyDictionary<string, object?>?> GetDataAsync(string clientId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the warehouse system did not answer");
}

public sealed class MissingTemplatePanel : IClientPanel
{
    public string Title => "Missing";

    public string Template => "nowhere";

    public Task<IReadOnlyDictionary<string, object?>?> GetDataAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, object?>?>(new Dictionary<string, object?>());
}

public sealed class SummaryPage : IPluginPage
{
    public string Name => "summary";

    public string Title => "Summary";

    public string Template => "summary";

    public Task<IReadOnlyDictionary<string, object?>> GetDataAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, object?>>(new Dictionary<string, object?> { ["items"] = new[] { "один", "two" } });
}

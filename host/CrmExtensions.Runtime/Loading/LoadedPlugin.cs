using CrmExtensions.Runtime.Storage;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Runtime.Loading;

/// <summary>A plugin whose startup ran: its registrations, templates and private container (its assembly stays in the
/// load context <see cref="PluginLoadContext"/> made for it).</summary>
internal sealed class LoadedPlugin(
    PluginCandidate candidate,
    PluginRegistrations registrations,
    TemplateSet templates,
    ServiceProvider services,
    StoreState committed,
    TimeProvider time) : IDisposable
{
    public string Id => candidate.Manifest.Id;

    public PluginManifest Manifest => candidate.Manifest;

    public string Directory => candidate.Directory;

    public PluginRegistrations Registrations => registrations;

    public TemplateSet Templates => templates;

    /// <summary>What the plugin's writes check committed rows against, kept with the plugin (the client ids it has found).</summary>
    public StoreState Committed => committed;

    /// <summary>The reminder rule registered under <paramref name="name"/> (<see cref="PluginShape.Name"/>), or null.</summary>
    public Type? Rule(string name) => registrations.Reminders.FirstOrDefault(t => PluginShape.Name(t) == name);

    /// <summary>The event handler registered under <paramref name="name"/>, or null.</summary>
    public HandlerRegistration? Handler(string name) => registrations.Handlers.FirstOrDefault(h => h.Name == name);

    /// <summary>The job registered under <paramref name="name"/>, or null.</summary>
    public JobRegistration? Job(string name) => registrations.Jobs.FirstOrDefault(j => j.Name == name);

    /// <summary>A unit of work: a service scope whose <c>ICrmWriter</c>/<c>IPluginStore</c> hold writes until sealed.</summary>
    /// <param name="state">What the writes check committed rows against; the store when null (reminder runs pass the keys they loaded).</param>
    public (AsyncServiceScope Scope, PluginWrites Writes) BeginUnit(ICommittedState? state = null)
    {
        var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var writes = new PluginWrites(Id, provider.GetRequiredService<Sdk.Model.ICrmReader>(), state ?? committed, templates, registrations.Pipelines,
            () => registrations.Guards.Select(t => (IStageGuard)provider.GetRequiredService(t)).ToList(), time);
        provider.GetRequiredService<WriteUnit>().Writes = writes;
        return (scope, writes);
    }

    public void Dispose()
    {
        services.Dispose();
    }
}

/// <summary>The current unit's writes, one per service scope.</summary>
internal sealed class WriteUnit
{
    public PluginWrites? Writes { get; set; }
}

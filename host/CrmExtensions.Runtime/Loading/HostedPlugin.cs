namespace CrmExtensions.Runtime.Loading;

/// <summary>A plugin the host calls: its folder and manifest, what it registered by name, and, in process isolation only,
/// the plugin itself loaded in the host.</summary>
/// <remarks>Every runner schedules, routes and names its calls from <see cref="Shape"/>; only a call made in this process
/// touches <see cref="InProcess"/>. In process isolation the host never loads the plugin's assembly: its worker ran the
/// startup and described it.</remarks>
internal sealed class HostedPlugin(PluginCandidate candidate, PluginShape shape, LoadedPlugin? loaded) : IDisposable
{
    public string Id => candidate.Manifest.Id;

    public PluginCandidate Candidate => candidate;

    public PluginShape Shape => shape;

    /// <summary>Gets the plugin loaded in this process, which only in process isolation there is.</summary>
    public LoadedPlugin InProcess => loaded
        ?? throw new InvalidOperationException($"Plugin '{Id}' runs in its worker; the host has not loaded it.");

    public void Dispose() => loaded?.Dispose();
}

using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Workspace;

namespace CrmExtensions.Application.Plugins;

/// <summary>The plugins folder: what loaded, what each contributes, why any was refused; installing the shipped plugins.</summary>
internal sealed class PluginService(CrmWorkspace workspace)
{
    /// <summary>The plugins folder, absolute.</summary>
    public string Directory => workspace.PluginsDirectory;

    /// <summary>Every plugin folder: the loaded ones in dependency order, then the refused and disabled ones.</summary>
    public async Task<IReadOnlyList<PluginStatus>> ListAsync(CancellationToken cancellationToken) =>
        (await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false)).Plugins;

    /// <summary>Ends a plugin's quarantine, so that every command runs it again from its next start.</summary>
    /// <param name="pluginId">The plugin's id (any case).</param>
    /// <returns>The id as stored.</returns>
    /// <exception cref="InvalidRequestException">The plugin is not quarantined.</exception>
    public string Enable(string pluginId)
    {
        var quarantine = new Store.Plugins.PluginQuarantine(workspace.Store);
        var found = quarantine.List().FirstOrDefault(q => q.PluginId.Equals(pluginId, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidRequestException($"plugin '{pluginId}' is not quarantined; 'crmx plugins list' shows the plugins and their states.");
        quarantine.Release(found.PluginId);
        return found.PluginId;
    }

    /// <summary>The loaded plugins' panels for one client's card, each rendered under its plugin's call budget.</summary>
    public async Task<IReadOnlyList<PluginView>> ClientPanelsAsync(string clientId, CancellationToken cancellationToken) =>
        await (await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false)).RenderClientPanelsAsync(clientId, cancellationToken).ConfigureAwait(false);

    /// <summary>The pages the loaded plugins add to the web workspace.</summary>
    public async Task<IReadOnlyList<PluginPageInfo>> PagesAsync(CancellationToken cancellationToken) =>
        await (await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false)).ListPagesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>One plugin page, rendered; null when there is no such page.</summary>
    public async Task<PluginView?> PageAsync(string pluginId, string name, CancellationToken cancellationToken) =>
        await (await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false)).RenderPageAsync(pluginId, name, cancellationToken).ConfigureAwait(false);

    /// <summary>Copies the plugins shipped beside crmx (its own <c>plugins/</c> folder) into the plugins folder, refreshing older copies.</summary>
    /// <returns>The shipped plugins' folder names; empty when crmx has none or they are the plugins folder itself.</returns>
    public IReadOnlyList<string> InstallShipped()
    {
        var target = workspace.PluginsDirectory;
        System.IO.Directory.CreateDirectory(target);
        var shipped = Path.Combine(AppContext.BaseDirectory, "plugins");
        if (!System.IO.Directory.Exists(shipped) || Path.GetFullPath(shipped) == Path.GetFullPath(target))
        {
            return [];
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(shipped, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(shipped, file));
            if (!File.Exists(copy) || File.GetLastWriteTimeUtc(copy) < File.GetLastWriteTimeUtc(file))
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy, overwrite: true);
            }
        }

        return System.IO.Directory.GetDirectories(shipped).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
    }
}

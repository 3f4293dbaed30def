using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Sdk.Workspace;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Runtime.Workspace;

/// <summary>A plugin's panel or page, rendered: its HTML, or the one line that says why there is none.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Title">The panel's heading or the page's title (the type's name when even that could not be read).</param>
/// <param name="Html">The rendered template, every model value HTML-escaped; null when it failed.</param>
/// <param name="Problem">What went wrong, naming the plugin and the template's file, line and column; null when rendered.</param>
public sealed record PluginView(string PluginId, string Title, string? Html, string? Problem);

/// <summary>A page a plugin adds to the web workspace.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Name">The page's name in its address, <c>/plugins/{PluginId}/{Name}</c>.</param>
/// <param name="Title">The page's title.</param>
public sealed record PluginPageInfo(string PluginId, string Name, string Title);

/// <summary>Renders plugins' card panels and pages: the plugin's data call and its template, under the plugin's call budget.</summary>
/// <remarks>
/// The plugin's only code on a page's path is its <c>GetDataAsync</c>, run under guard like a stage guard (an exception
/// or an overrun becomes the view's problem, never the page's); the template is rendered in the mail sandbox with every
/// value escaped. Anything the call writes is dropped. Thread-safe: each view gets its own service scope.
/// </remarks>
internal sealed class PluginViews(PluginRuntimeOptions options, PluginGuard guard)
{
    public async Task<IReadOnlyList<PluginView>> PanelsAsync(IReadOnlyList<LoadedPlugin> plugins, string clientId, CancellationToken cancellationToken)
    {
        var calls = plugins.SelectMany(p => p.Registrations.Panels.Select(t => RenderAsync(p, t, $"client panel {t.Name}", scope =>
        {
            var panel = (IClientPanel)scope.GetRequiredService(t);
            return new View(panel.Title, panel.Template, token => panel.GetDataAsync(clientId, token));
        }, cancellationToken))).ToList();
        var views = await Task.WhenAll(calls).ConfigureAwait(false);
        return views.OfType<PluginView>().ToList();
    }

    public async Task<PluginView?> PageAsync(IReadOnlyList<LoadedPlugin> plugins, string pluginId, string name, CancellationToken cancellationToken)
    {
        var plugin = plugins.FirstOrDefault(p => string.Equals(p.Id, pluginId, StringComparison.OrdinalIgnoreCase));
        if (plugin is null)
        {
            return null;
        }

        foreach (var type in plugin.Registrations.Pages)
        {
            var found = false;
            var view = await RenderAsync(plugin, type, $"page {type.Name}", scope =>
            {
                var page = (IPluginPage)scope.GetRequiredService(type);
                found = string.Equals(page.Name, name, StringComparison.Ordinal);
                return found ? new View(page.Title, page.Template, async token => await page.GetDataAsync(token).ConfigureAwait(false)) : null;
            }, cancellationToken).ConfigureAwait(false);
            if (found)
            {
                return view;
            }
        }

        return null;
    }

    private async Task<PluginView?> RenderAsync(LoadedPlugin plugin, Type type, string call, Func<IServiceProvider, View?> create, CancellationToken cancellationToken)
    {
        string? title = null;
        var result = await guard.RunAsync(plugin.Id, call, options.CallBudget, async token =>
        {
            var (scope, writes) = plugin.BeginUnit();
            await using (scope.ConfigureAwait(false))
            {
                if (create(scope.ServiceProvider) is not { } view)
                {
                    return null;
                }

                title = view.Title;
                var data = await view.Data(token).ConfigureAwait(false);
                writes.Seal(); // a view reads; anything it wrote is dropped
                return data is null ? null : new PluginView(plugin.Id, view.Title, plugin.Templates.RenderHtml(view.Template, data), null);
            }
        }, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Value : new PluginView(plugin.Id, title ?? type.Name, null, result.Problem);
    }

    /// <summary>A panel or page, created: its title and template, and its data call.</summary>
    private sealed record View(string Title, string Template, Func<CancellationToken, Task<IReadOnlyDictionary<string, object?>?>> Data);
}

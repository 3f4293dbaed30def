using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Workers;
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

/// <summary>Renders plugins' card panels and pages: the plugin's data call and its template, under the plugin's call budget,
/// in this process or, with process isolation, in the plugin's worker.</summary>
/// <remarks>
/// The plugin's only code on a page's path is its <c>GetDataAsync</c>, run under guard like a stage guard (an exception
/// or an overrun becomes the view's problem, never the page's); the template is rendered in the mail sandbox with every
/// value escaped. Anything the call writes is dropped. In process isolation the worker does all of that and sends the
/// rendered HTML back; a worker that dies, exits or overruns gives each of the plugin's views the problem naming the
/// plugin. Thread-safe: each view gets its own service scope, and the plugins are asked concurrently.
/// </remarks>
internal sealed class PluginViews(PluginRuntimeOptions options, PluginGuard guard, WorkerSupervisor? workers, TimeProvider time)
{
    public async Task<IReadOnlyList<PluginView>> PanelsAsync(IReadOnlyList<HostedPlugin> plugins, string clientId, CancellationToken cancellationToken)
    {
        var calls = plugins.Where(p => p.Shape.Panels.Count > 0).Select(async plugin => workers is null
            ? (await RenderPanelsAsync(guard, options.CallBudget, plugin.InProcess, clientId, cancellationToken).ConfigureAwait(false)).Select(r => r.View).ToList()
            : InWorker(plugin, await WorkerCalls.RenderPanelsAsync(workers, plugin, clientId, time.GetUtcNow(), options.CallBudget, cancellationToken)
                .ConfigureAwait(false)));
        var views = await Task.WhenAll(calls).ConfigureAwait(false);
        return views.SelectMany(v => v).OfType<PluginView>().ToList();
    }

    /// <summary>The panels a worker rendered, or each of the plugin's panels showing the worker's problem.</summary>
    private static List<PluginView?> InWorker(HostedPlugin plugin, CallResult<IReadOnlyList<PluginView>> result) =>
        result.Succeeded ? [.. result.Value!] : plugin.Shape.Panels.Select(name => (PluginView?)new PluginView(plugin.Id, name, null, result.Problem)).ToList();

    public async Task<PluginView?> PageAsync(IReadOnlyList<HostedPlugin> plugins, string pluginId, string name, CancellationToken cancellationToken)
    {
        var plugin = plugins.FirstOrDefault(p => string.Equals(p.Id, pluginId, StringComparison.OrdinalIgnoreCase));
        if (plugin is null || plugin.Shape.Pages.Count == 0)
        {
            return null;
        }

        if (workers is null)
        {
            return (await RenderPageAsync(guard, options.CallBudget, plugin.InProcess, name, cancellationToken).ConfigureAwait(false))?.View;
        }

        var result = await WorkerCalls.RenderPageAsync(workers, plugin, name, time.GetUtcNow(), options.CallBudget, cancellationToken).ConfigureAwait(false);
        // A page whose worker failed is shown as its problem, under the name asked for: its title only the plugin knows.
        return result.Succeeded ? (result.Value! is [var page, ..] ? page : null) : new PluginView(plugin.Id, name, null, result.Problem);
    }

    /// <summary>Renders every panel of one plugin for a client's card, concurrently, in this process: the host's in process
    /// isolation, the plugin's worker for the host.</summary>
    /// <returns>Each panel's call and its view (null when it has nothing to show).</returns>
    internal static async Task<IReadOnlyList<Rendered>> RenderPanelsAsync(PluginGuard guard, TimeSpan budget, LoadedPlugin plugin, string clientId,
        CancellationToken cancellationToken) =>
        await Task.WhenAll(plugin.Registrations.Panels.Select(t => RenderAsync(guard, budget, plugin, t, $"client panel {t.Name}", scope =>
        {
            var panel = (IClientPanel)scope.GetRequiredService(t);
            return new View(panel.Title, panel.Template, token => panel.GetDataAsync(clientId, token));
        }, cancellationToken))).ConfigureAwait(false);

    /// <summary>Renders the plugin's page named <paramref name="name"/> in this process.</summary>
    /// <returns>Its call and view, or null when the plugin has no such page.</returns>
    internal static async Task<Rendered?> RenderPageAsync(PluginGuard guard, TimeSpan budget, LoadedPlugin plugin, string name, CancellationToken cancellationToken)
    {
        foreach (var type in plugin.Registrations.Pages)
        {
            var found = false;
            var rendered = await RenderAsync(guard, budget, plugin, type, $"page {type.Name}", scope =>
            {
                var page = (IPluginPage)scope.GetRequiredService(type);
                found = string.Equals(page.Name, name, StringComparison.Ordinal);
                return found ? new View(page.Title, page.Template, async token => await page.GetDataAsync(token).ConfigureAwait(false)) : null;
            }, cancellationToken).ConfigureAwait(false);
            if (found)
            {
                return rendered;
            }
        }

        return null;
    }

    private static async Task<Rendered> RenderAsync(PluginGuard guard, TimeSpan budget, LoadedPlugin plugin, Type type, string call, Func<IServiceProvider, View?> create,
        CancellationToken cancellationToken)
    {
        string? title = null;
        var result = await guard.RunAsync(plugin.Id, call, budget, async token =>
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
        return new Rendered(result, result.Succeeded ? result.Value : new PluginView(plugin.Id, title ?? type.Name, null, result.Problem));
    }

    /// <summary>A view's guarded call (which the worker reads to know whether it can go on) and what it shows.</summary>
    internal readonly record struct Rendered(CallResult<PluginView?> Result, PluginView? View);

    /// <summary>A panel or page, created: its title and template, and its data call.</summary>
    private sealed record View(string Title, string Template, Func<CancellationToken, Task<IReadOnlyDictionary<string, object?>?>> Data);
}

using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Sdk.Workspace;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Runtime.Workspace;

/// <summary>What a plugin lists by name and title for the faces: its reports or its pages.</summary>
internal enum ListingKind
{
    Reports,
    Pages,
}

/// <summary>One report or page a plugin lists.</summary>
/// <param name="Name">Its name (in <c>crmx report run</c>, in a page's address).</param>
/// <param name="Title">Its title (an SDK 1.0 report's is its name).</param>
internal sealed record PluginListing(string Name, string Title);

/// <summary>Lists a plugin's reports or pages in this process (the host's in process isolation, the plugin's worker for the host):
/// their instances are created, and asked their names, in a unit whose writes are dropped.</summary>
internal static class PluginListings
{
    public static Task<CallResult<IReadOnlyList<PluginListing>>> ListAsync(PluginGuard guard, TimeSpan budget, LoadedPlugin plugin, ListingKind kind,
        CancellationToken cancellationToken) =>
        guard.RunAsync(plugin.Id, Call(kind), budget, async _ =>
        {
            var (scope, writes) = plugin.BeginUnit();
            await using (scope.ConfigureAwait(false))
            {
                IReadOnlyList<PluginListing> listed = Registered(plugin, kind).Select(t => Describe(scope.ServiceProvider.GetRequiredService(t))).ToList();
                writes.Seal();
                return listed;
            }
        }, cancellationToken);

    /// <summary>The plugin's registered types of the kind.</summary>
    private static IReadOnlyList<Type> Registered(LoadedPlugin plugin, ListingKind kind) =>
        kind == ListingKind.Reports ? plugin.Registrations.Reports : plugin.Registrations.Pages;

    /// <summary>The names of the plugin's registered types of the kind.</summary>
    public static IReadOnlyList<string> Registered(PluginShape shape, ListingKind kind) => kind == ListingKind.Reports ? shape.Reports : shape.Pages;

    /// <summary>The call in words, for failure reports: <c>report list</c>, <c>page list</c>.</summary>
    public static string Call(ListingKind kind) => kind == ListingKind.Reports ? "report list" : "page list";

    private static PluginListing Describe(object instance) => instance switch
    {
        IRangeReport range => new PluginListing(range.Name, range.Title),
        IReport report => new PluginListing(report.Name, report.Name),
        IPluginPage page => new PluginListing(page.Name, page.Title),
        _ => throw new InvalidOperationException($"{instance.GetType().Name} is neither a report nor a page."),
    };
}

namespace CrmExtensions.Sdk.Workspace;

/// <summary>A page of a plugin's own in the web workspace, at <c>/plugins/{plugin id}/{Name}</c> (SDK 1.2).</summary>
/// <remarks>
/// Rendered as a <see cref="IClientPanel"/> is: <see cref="GetDataAsync"/> under the plugin's call budget, then
/// <see cref="Template"/> in the mail templates' sandbox with every value HTML-escaped, inside the workspace's own
/// layout. Every signed-in user may open it; the plugins page lists it. Register it with
/// <see cref="IPluginBuilder.AddPage{TPage}"/>.
/// </remarks>
public interface IPluginPage
{
    /// <summary>Gets the page's name in its address: lower-case Latin letters, digits and dashes, such as <c>overdue</c>.</summary>
    string Name { get; }

    /// <summary>Gets the page's title.</summary>
    string Title { get; }

    /// <summary>Gets the name of the template rendered as the page's HTML (its file name without <c>.scriban</c>).</summary>
    string Template { get; }

    /// <summary>Reads what the page shows.</summary>
    /// <param name="cancellationToken">Cancelled when the call budget runs out or the request ends.</param>
    /// <returns>The template's variables.</returns>
    Task<IReadOnlyDictionary<string, object?>> GetDataAsync(CancellationToken cancellationToken);
}

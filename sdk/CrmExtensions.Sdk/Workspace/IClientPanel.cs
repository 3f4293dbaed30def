namespace CrmExtensions.Sdk.Workspace;

/// <summary>A panel a plugin adds to the client card of the web workspace (SDK 1.2).</summary>
/// <remarks>
/// For each card the host asks <see cref="GetDataAsync"/> for the panel's variables under the plugin's call budget — the
/// only plugin code on the page's path — and renders <see cref="Template"/>, a template of a folder added with
/// <see cref="IPluginBuilder.AddTemplates"/>, with them in the mail templates' sandbox, every value HTML-escaped. A panel
/// that fails or runs out of time shows one line saying so; the rest of the card is unaffected. Register it with
/// <see cref="IPluginBuilder.AddClientPanel{TPanel}"/>; one instance is created per card.
/// </remarks>
/// <example>
/// <code>
/// public sealed class OverduePanel(ICrmFacts facts, TimeProvider time) : IClientPanel
/// {
///     public string Title => "Overdue";
///     public string Template => "panel";   // templates/panel.scriban: {{ for i in invoices }}…{{ end }}
///     public async Task&lt;IReadOnlyDictionary&lt;string, object?&gt;?&gt; GetDataAsync(string clientId, CancellationToken ct) =>
///         new Dictionary&lt;string, object?&gt; { ["invoices"] = await facts.GetClientOverdueInvoicesAsync(clientId, DateOnly.FromDateTime(time.GetUtcNow().Date), ct) };
/// }
/// </code>
/// </example>
public interface IClientPanel
{
    /// <summary>Gets the panel's heading on the card.</summary>
    string Title { get; }

    /// <summary>Gets the name of the template rendered as the panel's HTML (its file name without <c>.scriban</c>).</summary>
    string Template { get; }

    /// <summary>Reads what the panel shows about one client.</summary>
    /// <param name="clientId">The client whose card is open.</param>
    /// <param name="cancellationToken">Cancelled when the call budget runs out or the request ends.</param>
    /// <returns>The template's variables, or <see langword="null"/> to show no panel for this client.</returns>
    Task<IReadOnlyDictionary<string, object?>?> GetDataAsync(string clientId, CancellationToken cancellationToken);
}

using Microsoft.Extensions.Logging;

namespace CrmExtensions.Runtime.Loading;

/// <summary>The logger factory a plugin sees: every category it asks for is put under the plugin's id.</summary>
/// <remarks>
/// <c>ILogger&lt;DunningRule&gt;</c> of plugin <c>CrmExtensions.Receivables</c> logs under
/// <c>CrmExtensions.Receivables/Acme.Dunning.DunningRule</c>, so <c>Logging:LogLevel:CrmExtensions.Receivables</c> in
/// crmx.json sets one plugin's level, and every line names the plugin it came from. A plugin cannot add or remove the
/// host's providers, and disposing the factory is the host's business.
/// </remarks>
internal sealed class PluginLoggerFactory(ILoggerFactory host, string pluginId) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) =>
        host.CreateLogger(categoryName.StartsWith(pluginId, StringComparison.OrdinalIgnoreCase) && (categoryName.Length == pluginId.Length || categoryName[pluginId.Length] is '.' or '/')
            ? categoryName
            : pluginId + "/" + categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new InvalidOperationException($"Plugin '{pluginId}' tried to add a logging provider; logging is configured by the host (crmx.json 'Logging').");

    public void Dispose()
    {
    }
}

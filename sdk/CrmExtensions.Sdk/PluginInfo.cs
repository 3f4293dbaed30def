namespace CrmExtensions.Sdk;

/// <summary>Who a plugin is and where it was loaded from; available from the plugin's container.</summary>
public sealed class PluginInfo
{
    /// <summary>Gets the plugin's id from its <see cref="CrmPluginAttribute"/>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the plugin's version from its <see cref="CrmPluginAttribute"/>.</summary>
    public required string Version { get; init; }

    /// <summary>Gets the folder the plugin's assembly was loaded from.</summary>
    public required string Directory { get; init; }
}

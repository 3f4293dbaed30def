namespace CrmExtensions.Sdk;

/// <summary>Declares an assembly to be a CrmExtensions plugin: its manifest, read by the host before anything is loaded.</summary>
/// <remarks>
/// The host reads this attribute from the assembly's metadata without running any of its code, so the values must
/// be constants. A folder in the plugins directory without an assembly that carries it is refused.
/// </remarks>
/// <example><code>[assembly: CrmPlugin("Acme.Dunning", "1.2.0")]</code></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class CrmPluginAttribute : Attribute
{
    /// <summary>Declares the plugin's identity.</summary>
    /// <param name="id">A stable, unique id such as <c>Acme.Dunning</c>; the store keys the plugin's data by it.</param>
    /// <param name="version">The plugin's own version, for people and for <c>crmx plugins list</c>.</param>
    public CrmPluginAttribute(string id, string version)
    {
        Id = id;
        Version = version;
    }

    /// <summary>Gets the plugin's stable, unique id.</summary>
    public string Id { get; }

    /// <summary>Gets the plugin's version.</summary>
    public string Version { get; }

    /// <summary>Gets or sets one line that says what the plugin does.</summary>
    /// <value>Empty by default.</value>
    public string Description { get; set; } = "";
}

/// <summary>Declares that a plugin needs another plugin loaded first; the host refuses the plugin when that one is absent.</summary>
/// <example><code>[assembly: CrmPluginDependency("Acme.Core")]</code></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class CrmPluginDependencyAttribute : Attribute
{
    /// <summary>Declares the dependency.</summary>
    /// <param name="pluginId">The id of the plugin that must be loaded before this one.</param>
    public CrmPluginDependencyAttribute(string pluginId)
    {
        PluginId = pluginId;
    }

    /// <summary>Gets the id of the plugin this one depends on.</summary>
    public string PluginId { get; }
}

using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Sdk;

/// <summary>The one entry point of a plugin: registers what the plugin contributes.</summary>
/// <remarks>
/// The plugin's main assembly holds exactly one public, non-abstract subclass with a parameterless constructor.
/// Every member is a virtual no-op, so hooks added in later SDK versions break no plugin. The host calls
/// <see cref="Configure"/> once, within a time budget (after the obsolete <see cref="ConfigureServices"/>, for plugins
/// that still override it); a plugin whose startup throws or runs out of time is disabled with the reason and the host
/// carries on. Services of the plugin's own go in <see cref="IPluginBuilder.Services"/>.
/// </remarks>
/// <example>
/// <code>
/// public sealed class Startup : PluginStartup
/// {
///     public override void Configure(IPluginBuilder plugin)
///     {
///         plugin.Services.AddSingleton&lt;GreetingText&gt;();
///         plugin.AddEventHandler&lt;WelcomeHandler&gt;(EventTypes.CounterpartyCreated).AddTemplates("templates");
///     }
/// }
/// </code>
/// </example>
public abstract class PluginStartup
{
    /// <summary>Registers the plugin's own services in its private container.</summary>
    /// <param name="services">The plugin's container; the host has already added <see cref="TimeProvider"/>,
    /// logging, <see cref="Model.ICrmReader"/>, <see cref="Storage.ICrmWriter"/>, <see cref="Storage.IPluginStore"/>
    /// and <see cref="PluginInfo"/>; SDK 1.1 hosts also <see cref="Facts.ICrmFacts"/> and <see cref="IPluginSettings"/>.</param>
    /// <remarks>
    /// Superseded in SDK 1.2 by <see cref="IPluginBuilder.Services"/> in <see cref="Configure"/>, the same container, so that
    /// a plugin registers everything in one place. The host still calls this first, so plugins that override it keep working.
    /// </remarks>
    [Obsolete("Register services in Configure through plugin.Services (IPluginBuilder.Services): the same container, one place for every registration.")]
    public virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Declares the plugin's event handlers, pipelines, reminder rules, templates and reports.</summary>
    /// <param name="plugin">The builder; every <c>Add…</c> method returns it for chaining.</param>
    public virtual void Configure(IPluginBuilder plugin)
    {
    }
}

using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Sdk.Workspace;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Sdk;

/// <summary>What a plugin registers in <see cref="PluginStartup.Configure"/>.</summary>
/// <remarks>Types given here are created by the plugin's container, so their constructors may take registered services.</remarks>
/// <example>
/// <code>
/// public sealed class Startup : PluginStartup
/// {
///     public override void Configure(IPluginBuilder plugin) =>
///         plugin.AddEventHandler&lt;WelcomeHandler&gt;(EventTypes.CounterpartyCreated)
///               .AddReminder&lt;OverdueInvoiceReminder&gt;()
///               .AddPipeline(new PipelineDefinition { Name = "sales", Stages = ["lead", "offer", "won", "lost"] })
///               .AddStageGuard&lt;OverdueGuard&gt;()
///               .AddTemplates("templates");
/// }
/// </code>
/// </example>
public interface IPluginBuilder
{
    /// <summary>Gets the id of the plugin being configured.</summary>
    string PluginId { get; }

    /// <summary>Gets the plugin's private service container: the one place a plugin registers services of its own.</summary>
    /// <value>The container the host has already filled with <see cref="TimeProvider"/>, logging, <see cref="Model.ICrmReader"/>,
    /// <see cref="Facts.ICrmFacts"/>, <see cref="Storage.ICrmWriter"/>, <see cref="Storage.IPluginStore"/>, <see cref="IPluginSettings"/>
    /// and <see cref="PluginInfo"/>; the host builds it after <see cref="PluginStartup.Configure"/> returns.</value>
    /// <remarks>Use it instead of the obsolete <see cref="PluginStartup.ConfigureServices"/>, which fills the same container.</remarks>
    IServiceCollection Services { get; }

    /// <summary>Subscribes a handler to change events; each event is delivered to it once, in order.</summary>
    /// <typeparam name="THandler">The handler; one instance is created per delivery.</typeparam>
    /// <param name="eventTypes">The event types to receive (see <see cref="EventTypes"/>); none means every event.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="PluginConfigurationException">The handler is already registered.</exception>
    IPluginBuilder AddEventHandler<THandler>(params string[] eventTypes)
        where THandler : class, IEventHandler;

    /// <summary>Adds a reminder rule, evaluated by the host on its schedule and by <c>crmx demo</c>.</summary>
    /// <typeparam name="TRule">The rule.</typeparam>
    /// <returns>This builder.</returns>
    /// <exception cref="PluginConfigurationException">The rule is already registered.</exception>
    IPluginBuilder AddReminder<TRule>()
        where TRule : class, IReminderRule;

    /// <summary>Adds a sales pipeline: its stages and the moves allowed between them.</summary>
    /// <param name="pipeline">The pipeline; its name is unique within the plugin.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="PluginConfigurationException">The pipeline is invalid or its name is taken.</exception>
    IPluginBuilder AddPipeline(PipelineDefinition pipeline);

    /// <summary>Adds a guard consulted before a deal of one of the plugin's pipelines moves stage.</summary>
    /// <typeparam name="TGuard">The guard.</typeparam>
    /// <returns>This builder.</returns>
    IPluginBuilder AddStageGuard<TGuard>()
        where TGuard : class, IStageGuard;

    /// <summary>Adds a folder of Scriban mail templates (<c>*.scriban</c>), parsed once at load.</summary>
    /// <param name="folder">The folder, relative to the plugin's assembly; templates are named by file name without extension.</param>
    /// <returns>This builder.</returns>
    /// <remarks>Every template is parsed at load and all errors are reported together as <c>file(line,col): message</c>;
    /// a plugin with a broken template is disabled.</remarks>
    IPluginBuilder AddTemplates(string folder);

    /// <summary>Adds a report.</summary>
    /// <typeparam name="TReport">The report.</typeparam>
    /// <returns>This builder.</returns>
    IPluginBuilder AddReport<TReport>()
        where TReport : class, IReport;

    /// <summary>Adds a panel to the client card of the web workspace (SDK 1.2).</summary>
    /// <typeparam name="TPanel">The panel.</typeparam>
    /// <returns>This builder.</returns>
    /// <exception cref="PluginConfigurationException">The panel is already registered.</exception>
    IPluginBuilder AddClientPanel<TPanel>()
        where TPanel : class, IClientPanel;

    /// <summary>Adds a page of the plugin's own to the web workspace (SDK 1.2).</summary>
    /// <typeparam name="TPage">The page.</typeparam>
    /// <returns>This builder.</returns>
    /// <exception cref="PluginConfigurationException">The page is already registered.</exception>
    IPluginBuilder AddPage<TPage>()
        where TPage : class, IPluginPage;

    /// <summary>Adds a job the host runs on a schedule, once per slot across restarts and hosts (SDK 1.2).</summary>
    /// <typeparam name="TJob">The job.</typeparam>
    /// <param name="name">The job's name, unique within the plugin: it keys the job's slots in the store.</param>
    /// <param name="schedule">When it runs, such as <see cref="JobSchedule.DailyAt(TimeOnly)"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="PluginConfigurationException">The name is empty or already taken.</exception>
    IPluginBuilder AddJob<TJob>(string name, JobSchedule schedule)
        where TJob : class, IJob;
}

using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Sdk.Workspace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmExtensions.Sdk.Shared;

/// <summary>A handler type and the event types it subscribed to (none = every event).</summary>
internal sealed record HandlerRegistration(Type Type, IReadOnlyList<string> EventTypes)
{
    /// <summary>The handler's stable name, which keys its delivery state in the store.</summary>
    public string Name => Type.FullName ?? Type.Name;

    public bool Wants(string eventType) => EventTypes.Count == 0 || EventTypes.Contains(eventType, StringComparer.Ordinal);
}

/// <summary>A scheduled job: its name (unique in the plugin), type and schedule.</summary>
internal sealed record JobRegistration(string Name, Type Type, JobSchedule Schedule);

/// <summary>What a plugin registered in its startup; the <see cref="IPluginBuilder"/> the host and the test kit hand it.</summary>
internal sealed class PluginRegistrations(string pluginId, IServiceCollection services) : IPluginBuilder
{
    private readonly List<HandlerRegistration> _handlers = [];
    private readonly List<Type> _reminders = [];
    private readonly List<Type> _guards = [];
    private readonly List<Type> _reports = [];
    private readonly List<Type> _panels = [];
    private readonly List<Type> _pages = [];
    private readonly List<JobRegistration> _jobs = [];
    private readonly List<PipelineDefinition> _pipelines = [];
    private readonly List<string> _templateFolders = [];

    public string PluginId { get; } = pluginId;

    public IServiceCollection Services { get; } = services;

    public IReadOnlyList<HandlerRegistration> Handlers => _handlers;

    public IReadOnlyList<Type> Reminders => _reminders;

    public IReadOnlyList<Type> Guards => _guards;

    public IReadOnlyList<Type> Reports => _reports;

    public IReadOnlyList<Type> Panels => _panels;

    public IReadOnlyList<Type> Pages => _pages;

    public IReadOnlyList<JobRegistration> Jobs => _jobs;

    public IReadOnlyList<PipelineDefinition> Pipelines => _pipelines;

    public IReadOnlyList<string> TemplateFolders => _templateFolders;

    public IPluginBuilder AddEventHandler<THandler>(params string[] eventTypes)
        where THandler : class, IEventHandler
    {
        if (_handlers.Any(h => h.Type == typeof(THandler)))
        {
            throw new PluginConfigurationException(
                $"Plugin '{PluginId}' registers the event handler {typeof(THandler).Name} twice; register it once with every event type it needs.", PluginId);
        }

        _handlers.Add(new HandlerRegistration(typeof(THandler), (eventTypes ?? []).Distinct(StringComparer.Ordinal).ToArray()));
        Services.AddTransient<THandler>();
        return this;
    }

    public IPluginBuilder AddReminder<TRule>()
        where TRule : class, IReminderRule => AddType<TRule>(_reminders, "reminder rule");

    public IPluginBuilder AddStageGuard<TGuard>()
        where TGuard : class, IStageGuard => AddType<TGuard>(_guards, "stage guard");

    public IPluginBuilder AddReport<TReport>()
        where TReport : class, IReport => AddType<TReport>(_reports, "report");

    public IPluginBuilder AddClientPanel<TPanel>()
        where TPanel : class, IClientPanel => AddType<TPanel>(_panels, "client panel");

    public IPluginBuilder AddPage<TPage>()
        where TPage : class, IPluginPage => AddType<TPage>(_pages, "page");

    public IPluginBuilder AddJob<TJob>(string name, JobSchedule schedule)
        where TJob : class, IJob
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            throw new PluginConfigurationException($"Plugin '{PluginId}': a job needs a name of 1 to 100 characters, not '{name}'.", PluginId);
        }

        if (_jobs.Any(j => j.Name == name))
        {
            throw new PluginConfigurationException($"Plugin '{PluginId}' registers the job '{name}' twice.", PluginId);
        }

        _jobs.Add(new JobRegistration(name, typeof(TJob), schedule));
        Services.TryAddTransient<TJob>();
        return this;
    }

    public IPluginBuilder AddPipeline(PipelineDefinition pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(pipeline.Name))
        {
            problems.Add("it has no name");
        }
        else if (_pipelines.Any(p => p.Name == pipeline.Name))
        {
            problems.Add("the name is already taken");
        }

        if (pipeline.Stages is null || pipeline.Stages.Count == 0)
        {
            problems.Add("it has no stages");
        }
        else
        {
            problems.AddRange(pipeline.Stages.GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"stage '{g.Key}' appears twice"));
            problems.AddRange((pipeline.Moves ?? []).SelectMany(m => new[] { m.From, m.To }).Where(s => !pipeline.Stages.Contains(s))
                .Distinct().Select(s => $"a move names the unknown stage '{s}'"));
            problems.AddRange((pipeline.WonStages ?? []).Concat(pipeline.LostStages ?? []).Where(s => !pipeline.Stages.Contains(s))
                .Distinct().Select(s => $"won or lost names the unknown stage '{s}'"));
            problems.AddRange((pipeline.WonStages ?? []).Intersect(pipeline.LostStages ?? []).Select(s => $"stage '{s}' is both won and lost"));
        }

        if (problems.Count > 0)
        {
            throw new PluginConfigurationException(
                $"Plugin '{PluginId}': pipeline '{pipeline.Name}' is invalid: {string.Join("; ", problems)}.", PluginId);
        }

        _pipelines.Add(pipeline);
        return this;
    }

    public IPluginBuilder AddTemplates(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder) || Path.IsPathRooted(folder) || folder.Split('/', '\\').Contains(".."))
        {
            throw new PluginConfigurationException(
                $"Plugin '{PluginId}': AddTemplates takes a folder inside the plugin's own folder, such as \"templates\", not '{folder}'.", PluginId);
        }

        _templateFolders.Add(folder);
        return this;
    }

    /// <summary>What the plugin contributes, for <c>crmx plugins list</c>.</summary>
    public string Describe(int templateCount)
    {
        var parts = new List<string>();
        if (_handlers.Count > 0)
        {
            parts.Add($"handlers: {string.Join(", ", _handlers.Select(h => h.Type.Name + (h.EventTypes.Count == 0 ? " (all events)" : " (" + string.Join(", ", h.EventTypes) + ")")))}");
        }

        Add("reminders", _reminders.Select(t => t.Name));
        Add("jobs", _jobs.Select(j => $"{j.Name} ({j.Schedule})"));
        Add("pipelines", _pipelines.Select(p => p.Name));
        Add("guards", _guards.Select(t => t.Name));
        Add("reports", _reports.Select(t => t.Name));
        Add("client panels", _panels.Select(t => t.Name));
        Add("pages", _pages.Select(t => t.Name));
        if (templateCount > 0)
        {
            parts.Add($"templates: {templateCount}");
        }

        return parts.Count == 0 ? "nothing" : string.Join("; ", parts);

        void Add(string what, IEnumerable<string> names)
        {
            var list = names.ToList();
            if (list.Count > 0)
            {
                parts.Add($"{what}: {string.Join(", ", list)}");
            }
        }
    }

    private PluginRegistrations AddType<T>(List<Type> list, string what)
        where T : class
    {
        if (list.Contains(typeof(T)))
        {
            throw new PluginConfigurationException($"Plugin '{PluginId}' registers the {what} {typeof(T).Name} twice.", PluginId);
        }

        list.Add(typeof(T));
        Services.AddTransient<T>();
        return this;
    }
}

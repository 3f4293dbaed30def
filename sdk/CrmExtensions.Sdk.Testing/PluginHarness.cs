using System.Reflection;
using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Sdk.Storage;
using CrmExtensions.Sdk.Workspace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Sdk.Testing;

/// <summary>Runs one plugin as the host would — startup, event handlers, reminder rules, templates — against an <see cref="InMemoryCrm"/>.</summary>
/// <remarks>
/// Registration, template parsing and rendering, pipeline moves and write rules are the host's own code. Unlike the
/// host, the harness lets a plugin's exceptions through, so a test sees them; and it has no time budgets.
/// </remarks>
public sealed class PluginHarness : IDisposable
{
    private readonly PluginRegistrations _registrations;
    private readonly TemplateSet _templates;
    private readonly ServiceProvider _services;
    private long _sequence;

    private PluginHarness(InMemoryCrm crm, FakeTimeProvider clock, PluginRegistrations registrations, TemplateSet templates, ServiceProvider services)
    {
        Crm = crm;
        Clock = clock;
        _registrations = registrations;
        _templates = templates;
        _services = services;
    }

    /// <summary>Gets the CRM the plugin reads and writes.</summary>
    public InMemoryCrm Crm { get; }

    /// <summary>Gets the clock the plugin sees; advance it to move time on.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>Gets the plugin's id.</summary>
    public string PluginId => _registrations.PluginId;

    /// <summary>Gets the names of the plugin's templates.</summary>
    public IReadOnlyCollection<string> Templates => _templates.Names;

    /// <summary>Runs the startup of a plugin and parses its templates.</summary>
    /// <typeparam name="TStartup">The plugin's startup class.</typeparam>
    /// <param name="crm">The data the plugin sees; empty when null.</param>
    /// <param name="clock">The clock; 2025-01-01 09:00 UTC when null.</param>
    /// <param name="pluginDirectory">Where the plugin's template folders are; the startup's assembly folder when null.</param>
    /// <returns>The harness.</returns>
    /// <exception cref="PluginConfigurationException">The startup registered something invalid.</exception>
    /// <exception cref="TemplateException">A template does not parse; every error is listed.</exception>
    public static PluginHarness Create<TStartup>(InMemoryCrm? crm = null, FakeTimeProvider? clock = null, string? pluginDirectory = null)
        where TStartup : PluginStartup, new() => CreateWithSettings<TStartup>(null, crm, clock, pluginDirectory);

    /// <summary>Runs the startup of a plugin with settings, as the host would from <c>plugins.settings.&lt;pluginId&gt;</c> (SDK 1.1).</summary>
    /// <typeparam name="TStartup">The plugin's startup class.</typeparam>
    /// <param name="settings">What the plugin reads through <see cref="IPluginSettings"/>; none when null.</param>
    /// <param name="crm">The data the plugin sees; empty when null.</param>
    /// <param name="clock">The clock; 2025-01-01 09:00 UTC when null.</param>
    /// <param name="pluginDirectory">Where the plugin's template folders are; the startup's assembly folder when null.</param>
    /// <returns>The harness.</returns>
    /// <exception cref="PluginConfigurationException">The startup registered something invalid.</exception>
    /// <exception cref="TemplateException">A template does not parse; every error is listed.</exception>
    public static PluginHarness CreateWithSettings<TStartup>(IReadOnlyDictionary<string, string>? settings, InMemoryCrm? crm = null,
        FakeTimeProvider? clock = null, string? pluginDirectory = null)
        where TStartup : PluginStartup, new()
    {
        crm ??= new InMemoryCrm();
        clock ??= new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var assembly = typeof(TStartup).Assembly;
        var identity = assembly.GetCustomAttribute<CrmPluginAttribute>()
            ?? throw new PluginConfigurationException($"{assembly.GetName().Name} has no [assembly: CrmPlugin(\"Id\", \"Version\")]; the host would refuse it.", null);
        var directory = pluginDirectory ?? Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new PluginInfo { Id = identity.Id, Version = identity.Version, Directory = directory });
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<ICrmReader>(crm);
        services.AddSingleton<ICrmFacts>(crm);
        services.AddSingleton<IPluginSettings>(new PluginSettings(settings));
        services.AddScoped<Unit>();
        services.AddScoped<ICrmWriter>(sp => sp.GetRequiredService<Unit>().Writes!);
        services.AddScoped<IPluginStore>(sp => sp.GetRequiredService<Unit>().Writes!);
        var startup = new TStartup();
        #pragma warning disable CS0618 // obsolete since SDK 1.2, still called first for the plugins that override it
        startup.ConfigureServices(services);
        #pragma warning restore CS0618
        var registrations = new PluginRegistrations(identity.Id, services);
        startup.Configure(registrations);
        var templates = registrations.TemplateFolders.Count == 0
            ? TemplateSet.Empty(identity.Id)
            : TemplateSet.Load(identity.Id, directory, registrations.TemplateFolders);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new PluginHarness(crm, clock, registrations, templates, provider);
    }

    /// <summary>Delivers an event to every handler subscribed to its type, in registration order.</summary>
    /// <param name="crmEvent">The event.</param>
    /// <param name="cancellationToken">Passed to the handlers.</param>
    /// <returns>How many handlers received it.</returns>
    public async Task<int> FireAsync(CrmEvent crmEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(crmEvent);
        var delivered = 0;
        foreach (var registration in _registrations.Handlers.Where(h => h.Wants(crmEvent.Type)))
        {
            await InUnitAsync(async sp =>
            {
                await ((IEventHandler)sp.GetRequiredService(registration.Type)).HandleAsync(crmEvent, cancellationToken).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
            delivered++;
        }

        return delivered;
    }

    /// <summary>Delivers an event built from its type and row, numbered after the previous one, occurring now; like the host,
    /// it carries the invoice, payment, counterparty or deal it is about, as <see cref="Crm"/> holds it (SDK 1.2).</summary>
    /// <param name="eventType">The type, such as <see cref="EventTypes.InvoicePaid"/>.</param>
    /// <param name="row">The ledger row (or, for client events, <c>("", clientId)</c>; for deal events, <c>("", dealId)</c>).</param>
    /// <param name="data">The JSON payload, if any.</param>
    /// <param name="cancellationToken">Passed to the handlers.</param>
    /// <returns>How many handlers received it.</returns>
    public async Task<int> RaiseAsync(string eventType, LedgerKey row, string? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var crmEvent = await EventDocuments.AttachAsync(new CrmEvent
        {
            Sequence = Interlocked.Increment(ref _sequence),
            Type = eventType,
            OccurredAt = Clock.GetUtcNow(),
            Ledger = row.Ledger,
            LedgerId = row.Id,
            Data = data,
        }, Crm, (key, _) => Task.FromResult(Crm.FindPayment(key)), cancellationToken).ConfigureAwait(false);
        return await FireAsync(crmEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evaluates every reminder rule for the clock's current day; stores new reminders and queues their mails, once per key.</summary>
    /// <remarks>The rules see the keys of the reminders stored before as <see cref="ReminderContext.StoredKeys"/>, as the
    /// host shows them theirs (SDK 1.5); a rule may return those with their key only.</remarks>
    /// <param name="cancellationToken">Passed to the rules.</param>
    /// <returns>The reminders the rules returned, new or not.</returns>
    public async Task<IReadOnlyList<Reminder>> EvaluateRemindersAsync(CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(Clock.GetLocalNow().DateTime);
        var all = new List<Reminder>();
        foreach (var ruleType in _registrations.Reminders)
        {
            var due = await InUnitAsync(async (sp, writes) =>
            {
                var context = new ReminderContext { Today = today, StoredKeys = Crm.Reminders.Select(r => r.Key).ToHashSet(StringComparer.Ordinal) };
                var reminders = await ((IReminderRule)sp.GetRequiredService(ruleType)).EvaluateAsync(context, cancellationToken).ConfigureAwait(false);
                foreach (var reminder in reminders)
                {
                    await writes.AddReminderAsync(reminder, cancellationToken).ConfigureAwait(false);
                }

                return reminders;
            }).ConfigureAwait(false);
            all.AddRange(due);
        }

        return all;
    }

    /// <summary>Runs one of the plugin's scheduled jobs for a slot, as the host does (SDK 1.2): its writes are kept when it
    /// returns and dropped when it throws.</summary>
    /// <param name="name">The job's name, as registered with <c>AddJob</c>.</param>
    /// <param name="slot">The slot's start; by default the latest slot of the job's schedule at the clock's time, in the clock's zone.</param>
    /// <param name="cancellationToken">Passed to the job.</param>
    /// <returns>A task that completes when the job has run.</returns>
    /// <exception cref="ArgumentException">The plugin has no job of that name.</exception>
    public Task RunJobAsync(string name, DateTimeOffset? slot = null, CancellationToken cancellationToken = default)
    {
        var job = _registrations.Jobs.FirstOrDefault(j => j.Name == name)
            ?? throw new ArgumentException($"Plugin '{PluginId}' has no job '{name}'.", nameof(name));
        var now = Clock.GetUtcNow();
        var zone = Clock.LocalTimeZone;
        var context = new JobContext
        {
            Name = name,
            Slot = slot ?? job.Schedule.LatestSlot(now, zone),
            Now = now,
            Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime),
            TimeZone = zone,
        };
        return InUnitAsync(async sp =>
        {
            await ((IJob)sp.GetRequiredService(job.Type)).RunAsync(context, cancellationToken).ConfigureAwait(false);
            return 0;
        });
    }

    /// <summary>Asks every stage guard of the plugin about a move, in registration order, as the host does before a deal moves (SDK 1.1).</summary>
    /// <param name="deal">The deal, in its current stage; it may belong to another plugin's pipeline.</param>
    /// <param name="move">The move asked for.</param>
    /// <param name="cancellationToken">Passed to the guards.</param>
    /// <returns>The first denial, or <see cref="GuardDecision.Allow"/> when every guard allows the move.</returns>
    public Task<GuardDecision> CheckStageGuardsAsync(Deal deal, StageMove move, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deal);
        return InUnitAsync(async sp =>
        {
            foreach (var type in _registrations.Guards)
            {
                var decision = await ((IStageGuard)sp.GetRequiredService(type)).CheckAsync(deal, move, cancellationToken).ConfigureAwait(false);
                if (!decision.Allowed)
                {
                    return decision;
                }
            }

            return GuardDecision.Allow;
        });
    }

    /// <summary>Renders a mail from one of the plugin's templates, as the host would queue it.</summary>
    /// <param name="mail">The mail.</param>
    /// <returns>The rendered mail.</returns>
    /// <exception cref="TemplateException">The template is unknown or fails to render.</exception>
    public RenderedMail Render(OutgoingMail mail) => _templates.Render(mail);

    /// <summary>Runs one of the plugin's reports.</summary>
    /// <param name="name">The report's name.</param>
    /// <param name="asOf">The day the report is for.</param>
    /// <param name="cancellationToken">Passed to the report.</param>
    /// <returns>The report's table.</returns>
    /// <exception cref="ArgumentException">The plugin has no report of that name.</exception>
    public Task<ReportTable> RunReportAsync(string name, DateOnly asOf, CancellationToken cancellationToken = default) =>
        InUnitAsync(sp =>
        {
            var report = _registrations.Reports.Select(t => (IReport)sp.GetRequiredService(t)).FirstOrDefault(r => r.Name == name)
                ?? throw new ArgumentException($"Plugin '{PluginId}' has no report '{name}'.", nameof(name));
            return report.RunAsync(asOf, cancellationToken);
        });

    /// <summary>Renders the plugin's client-card panels for one client as the web workspace would (SDK 1.2): each
    /// panel's data, then its template with every value HTML-escaped.</summary>
    /// <param name="clientId">The client.</param>
    /// <param name="cancellationToken">Passed to the panels.</param>
    /// <returns>Each panel with something to show: its title and HTML.</returns>
    /// <exception cref="TemplateException">A panel's template is unknown or fails to render.</exception>
    public Task<IReadOnlyList<(string Title, string Html)>> RenderClientPanelsAsync(string clientId, CancellationToken cancellationToken = default) =>
        InUnitAsync<IReadOnlyList<(string Title, string Html)>>(async sp =>
        {
            var rendered = new List<(string Title, string Html)>();
            foreach (var panel in _registrations.Panels.Select(t => (IClientPanel)sp.GetRequiredService(t)))
            {
                if (await panel.GetDataAsync(clientId, cancellationToken).ConfigureAwait(false) is { } data)
                {
                    rendered.Add((panel.Title, _templates.RenderHtml(panel.Template, data)));
                }
            }

            return rendered;
        }, keepWrites: false);

    /// <summary>Releases the plugin's container.</summary>
    public void Dispose() => _services.Dispose();

    private Task<T> InUnitAsync<T>(Func<IServiceProvider, Task<T>> body, bool keepWrites = true) => InUnitAsync((sp, _) => body(sp), keepWrites);

    /// <param name="body">The unit's work.</param>
    /// <param name="keepWrites">False for what the host runs read-only (panels): what it wrote is dropped, as the host does.</param>
    private async Task<T> InUnitAsync<T>(Func<IServiceProvider, PluginWrites, Task<T>> body, bool keepWrites = true)
    {
        var scope = _services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var sp = scope.ServiceProvider;
            var writes = new PluginWrites(PluginId, Crm, Crm.Committed, _templates, _registrations.Pipelines,
                () => _registrations.Guards.Select(t => (IStageGuard)sp.GetRequiredService(t)).ToList(), Clock);
            sp.GetRequiredService<Unit>().Writes = writes;
            var result = await body(sp, writes).ConfigureAwait(false);
            var sealedWrites = writes.Seal();
            if (keepWrites)
            {
                Crm.Apply(sealedWrites);
            }

            return result;
        }
    }

    private sealed class Unit
    {
        public PluginWrites? Writes { get; set; }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmExtensions.Application.Activities;
using CrmExtensions.Application.Campaigns;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Configuration;
using CrmExtensions.Application.Deals;
using CrmExtensions.Application.Ledgers;
using CrmExtensions.Application.Mail;
using CrmExtensions.Application.Plugins;
using CrmExtensions.Application.Reminders;
using CrmExtensions.Application.Reports;
using CrmExtensions.Ledger.Checking;
using CrmExtensions.Ledger.Sync;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Reports.Catalog;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Storage;
using CrmExtensions.Samples;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Activities;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Deals;
using CrmExtensions.Reports.Builtin;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Application.Demo;

/// <summary>What <c>crmx demo</c> is asked for.</summary>
internal sealed record DemoRequest(string Directory, int Counterparties = 5_000, int Seed = 1, bool Fresh = false);

/// <summary>What the demo's plugin step produced.</summary>
internal sealed record DemoPlugins(IReadOnlyList<string> Installed, string Directory, IReadOnlyList<PluginStatus> Plugins, Runtime.DispatchSummary Events, ReminderSummary Reminders, PluginOutput Output);

/// <summary>What the demo's contact-log step produced.</summary>
internal sealed record DemoContactLog(ActivityImportOutcome Import, ClientRow Client, IReadOnlyList<ActivityRow> LastContacts);

/// <summary>What the demo's deal step did: the deal it opened (none when an earlier run had), its move, or why it could not.</summary>
internal sealed record DemoDeal(long? Client, (DealRow Deal, ClientRow Client, Runtime.Pipelines.PipelineInfo Pipeline)? OpenedNow, DealMoveOutcome? Move, string? Failure);

/// <summary>What the demo's campaign step did.</summary>
internal sealed record DemoCampaign(string Pack, CampaignResult Result)
{
    /// <summary>The campaign's effectiveness so far: mailed against control, revenue per client in the 30 days from the send.</summary>
    public CampaignEffect? Effect { get; init; }
}

/// <summary>The demo's behaviour segment: its name, its rule as stored, and its clients today.</summary>
internal sealed record DemoSegment(string Name, string Rule, int Count);

/// <summary>One built-in report as the demo wrote it.</summary>
internal sealed record DemoReport(StoreReport Report, ReportTable Table, RenderOptions Options, string File);

/// <summary>Shows <c>crmx demo</c>'s steps as they end; the CLI prints them.</summary>
internal interface IDemoObserver
{
    void Folder(string directory);

    void LedgersBuilt(SampleLedgerResult? built, int counterparties, int seed, bool configurationWritten);

    /// <summary>Where the generator is, for a progress line.</summary>
    IProgress<SampleProgress>? GenerationProgress { get; }

    void Attached(AttachCheckResult check, int ledgers);

    void Synced(IReadOnlyList<KindSyncResult> results);

    void Unified(Unifier.Outcome outcome);

    void Summarised(IReadOnlyList<LedgerSummary> summaries, Unifier.Outcome outcome);

    void PluginsRan(DemoPlugins plugins);

    void ContactLogImported(DemoContactLog? log);

    void DealShown(DemoDeal deal);

    /// <summary>One cross-sell recommendation for a client, or null when the ledgers have no invoice lines to learn from.</summary>
    void Recommended(Recommendations.ClientRecommendations? recommendation)
    {
    }

    void CampaignQueued(DemoCampaign campaign, string baseDirectory);

    void SegmentCounted(DemoSegment segment);

    void MailSent(global::CrmExtensions.Mail.Delivery.DispatchSummary summary, string pickupDirectory);

    void ReportsWritten(string folder, IReadOnlyList<DemoReport> reports);

    void Finished(string directory);
}

/// <summary>
/// <c>crmx demo</c>: builds the sample ledgers and a <c>crmx.json</c> for them if absent, then runs the whole product on
/// them through the same use cases a person uses — attach, sync, unify, plugins, contact log, a deal the Receivables guard
/// refuses, a campaign, mail to the pickup folder, reports. Running it again changes nothing: the ledgers are never written
/// and no mail is queued twice.
/// </summary>
internal sealed class DemoRunner(WorkspaceOptions host)
{
    /// <summary>The regional ledgers of the sample company.</summary>
    public static readonly string[] DemoLedgers = ["msk", "spb"];

    /// <summary>Runs every step; returns false when the ledgers do not attach (the problems went to the observer).</summary>
    public async Task<bool> RunAsync(DemoRequest request, IDemoObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var directory = request.Directory;
        if (request.Fresh && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var today = DateOnly.FromDateTime(host.Time.GetLocalNow().DateTime);
        var configPath = Path.Combine(directory, CrmConfiguration.FileName);
        observer.Folder(directory);
        SampleLedgerResult? built = null;
        if (DemoLedgers.Any(l => !File.Exists(Path.Combine(directory, l + ".db"))))
        {
            built = SampleLedger.Generate(directory, new SampleLedgerOptions
            {
                Counterparties = request.Counterparties,
                Seed = request.Seed,
                AsOf = today,
                Ledgers = DemoLedgers,
            }, observer.GenerationProgress, cancellationToken);
        }

        var writeConfiguration = !File.Exists(configPath);
        if (writeConfiguration)
        {
            await File.WriteAllTextAsync(configPath, DemoConfiguration(), cancellationToken).ConfigureAwait(false);
        }

        observer.LedgersBuilt(built, request.Counterparties, request.Seed, writeConfiguration);

        await using var services = CrmApplication.Build(new WorkspaceOptions
        {
            WorkingDirectory = host.WorkingDirectory,
            ConfigPath = configPath,
            Environment = host.Environment,
            Time = host.Time,
            LogWriter = host.LogWriter,
            MinimumLevel = host.MinimumLevel,
        });
        var workspace = services.GetRequiredService<CrmWorkspace>();

        var check = await services.GetRequiredService<AttachService>().CheckAsync(null, 100, cancellationToken).ConfigureAwait(false);
        observer.Attached(check, workspace.Ledgers.Count);
        if (!check.Passed)
        {
            return false;
        }

        observer.Synced(await services.GetRequiredService<SyncService>().SyncAsync(null, null, null, cancellationToken).ConfigureAwait(false));

        var unified = await services.GetRequiredService<UnificationService>().UnifyAsync(cancellationToken).ConfigureAwait(false);
        observer.Unified(unified);
        observer.Summarised(MirrorSummary.Read(workspace.Store, today), unified);

        var installed = services.GetRequiredService<PluginService>().InstallShipped();
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        var dispatched = await runtime.DispatchAsync(cancellationToken).ConfigureAwait(false);
        var reminders = await services.GetRequiredService<ReminderService>().EvaluateAsync(today, null, cancellationToken).ConfigureAwait(false);
        observer.PluginsRan(new DemoPlugins(installed, workspace.PluginsDirectory, runtime.Plugins, dispatched, reminders, PluginOutput.Read(workspace.Store)));

        observer.ContactLogImported(await ContactLogAsync(services, workspace, directory, cancellationToken).ConfigureAwait(false));

        observer.DealShown(await DealAsync(services, workspace, today, cancellationToken).ConfigureAwait(false));

        // Cross-sell: the client with the lowest id that has a recommendation, for a stable line on every run.
        var recommendations = services.GetRequiredService<Recommendations.RecommendationService>();
        observer.Recommended(await recommendations.FirstAsync(today, cancellationToken).ConfigureAwait(false));

        var campaigns = services.GetRequiredService<CampaignService>();
        var pack = campaigns.Install(Path.Combine(AppContext.BaseDirectory, CampaignService.PacksDirectory, "statement"));
        var (_, campaign) = await campaigns.SendAsync(new CampaignSendRequest("statement", [], "demo-statement"), cancellationToken)
            .ConfigureAwait(false);
        var effect = new CampaignReport(workspace.Store).Compute(new CampaignEffectRequest(campaign.Id, [CampaignEffectRequest.DefaultDays[0]]), today);
        observer.CampaignQueued(new DemoCampaign(pack, campaign) { Effect = effect }, workspace.BaseDirectory);
        var (best, bestCount) = await services.GetRequiredService<Segments.SegmentService>()
            .AddAsync("best-clients", "rfm.r >= 4 and rfm.m >= 4 and not overdue=yes", replace: true, by: "demo", cancellationToken).ConfigureAwait(false);
        observer.SegmentCounted(new DemoSegment(best.Definition.Name, best.Definition.RuleText, bestCount));

        var mail = services.GetRequiredService<MailService>();
        observer.MailSent(await mail.DispatchDueAsync(cancellationToken).ConfigureAwait(false), workspace.Configuration.Mail.PickupDirectory);

        var folder = Path.Combine(Path.GetDirectoryName(mail.PickupDirectory.TrimEnd(Path.DirectorySeparatorChar))!, "reports");
        Directory.CreateDirectory(folder);
        var reports = new List<DemoReport>();
        foreach (var report in ReportCatalog.BuiltIns(workspace.Store))
        {
            var window = new ReportRequest { From = ReportingWindow.TwelveMonthsTo(today).From, To = today, AsOf = today, Top = report.Name == "pareto" ? 30 : null };
            var sections = report.Sections(window);
            var options = RenderOptions.Russian(report.Title, ReportService.Describe(window), workspace.Store.BaseCurrency);
            var file = Path.Combine(folder, report.Name + ".html");
            await File.WriteAllTextAsync(file, ReportRenderer.Render(sections, ReportFormat.Html, options), cancellationToken).ConfigureAwait(false);
            reports.Add(new DemoReport(report, sections[0].Table, options, file));
        }

        observer.ReportsWritten(folder, reports);
        observer.Finished(directory);
        return true;
    }

    /// <summary>Step 7: imports a small contact log (one bad row, to show the report) and shows a client's last contact.</summary>
    private static async Task<DemoContactLog?> ContactLogAsync(IServiceProvider services, CrmWorkspace workspace, string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "activities.csv");
        var top = await services.GetRequiredService<ClientService>().ListAsync(null, null, 3, null, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path) && top.Count > 0)
        {
            var yesterday = TimeZoneInfo.ConvertTime(workspace.Time.GetUtcNow(), workspace.Time.LocalTimeZone).AddDays(-1).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
            var ids = top.Select(c => c.ClientId.ToString(CultureInfo.InvariantCulture)).ToList();
            await File.WriteAllTextAsync(path, string.Join('\n',
                "client;type;at;subject;manager;outcome",
                $"{ids[0]};звонок;{yesterday} 15:00;Клиент звонил сам: спрашивал про отгрузку;Петров;ждёт счёт",
                $"{ids[^1]};встреча;{yesterday} 11:30;Презентация нового прайса;Сидорова;интересуется",
                $"{ids[0]};email-out;{yesterday} 16:10;\"Счёт; акт сверки\";Петров;",
                "ООО «Нет такой фирмы»;call;01.11.2026 10:00;не будет импортирована;Петров;") + "\n", new System.Text.UTF8Encoding(true), cancellationToken).ConfigureAwait(false);
        }

        if (top.Count == 0 || !File.Exists(path))
        {
            return null;
        }

        var activities = services.GetRequiredService<ActivityService>();
        var import = await activities.ImportAsync(path, null, dryRun: false, cancellationToken).ConfigureAwait(false);
        return new DemoContactLog(import, top[0], await activities.LastContactsAsync(top[0].ClientId, 3, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Step 8: a deal in the shipped sales pipeline on a client that owes, moved from lead to offer as a manager would: the
    /// Receivables plugin's guard refuses, naming the overdue invoice and its legal entity or branch. A second demo run
    /// shows the deal it opened the first time rather than opening another.
    /// </summary>
    private static async Task<DemoDeal> DealAsync(IServiceProvider services, CrmWorkspace workspace, DateOnly today, CancellationToken cancellationToken)
    {
        long? client;
        using (var connection = workspace.Store.Open())
        {
            client = Segment.SelectClients(connection, [Segment.Parse("overdue=yes")], today).Cast<long?>().FirstOrDefault();
        }

        if (client is null)
        {
            return new DemoDeal(null, null, null, null);
        }

        var deals = services.GetRequiredService<DealService>();
        var clientTerm = client.Value.ToString(CultureInfo.InvariantCulture);
        try
        {
            var deal = (await deals.ListAsync(clientTerm, null, null, 100, cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Pipeline == "sales");
            (DealRow, ClientRow, Runtime.Pipelines.PipelineInfo)? opened = null;
            if (deal is null)
            {
                opened = await deals.OpenAsync(new DealRequest
                {
                    Client = clientTerm, Title = "Поставка по новому заказу", Pipeline = "sales", Amount = 250_000m, Owner = "Петров",
                }, cancellationToken).ConfigureAwait(false);
                deal = opened.Value.Item1;
            }

            var move = deal.Stage == "lead" ? await deals.MoveAsync(deal.Display, "offer", "Петров", cancellationToken).ConfigureAwait(false) : null;
            return new DemoDeal(client, opened, move, null);
        }
        catch (CrmException ex)
        {
            return new DemoDeal(client, null, null, ex.Message);
        }
    }

    private static string DemoConfiguration()
    {
        var ledgers = new JsonArray();
        foreach (var name in DemoLedgers)
        {
            ledgers.Add(new JsonObject
            {
                ["name"] = name,
                ["provider"] = "sqlite",
                ["connectionString"] = $"Data Source={name}.db",
                ["mapping"] = SampleLedger.MappingFileName,
            });
        }

        var root = new JsonObject
        {
            ["ledgers"] = ledgers,
            ["store"] = new JsonObject { ["provider"] = "sqlite", ["connectionString"] = "Data Source=crm.db" },
            ["plugins"] = new JsonObject { ["directory"] = "plugins" },
            ["mail"] = new JsonObject
            {
                ["pickupDirectory"] = "outbox", ["smtp"] = null, ["from"] = "crm@example.com",
                // Generated once per demo folder; in production the secret comes from CRMX__mail__unsubscribe__secret.
                ["unsubscribe"] = new JsonObject { ["baseUrl"] = "http://127.0.0.1:5080" /* where crmx demo --serve answers */, ["secret"] = System.Security.Cryptography.RandomNumberGenerator.GetHexString(40, lowercase: true) },
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}

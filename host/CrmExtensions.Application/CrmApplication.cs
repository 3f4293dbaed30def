using CrmExtensions.Application.Activities;
using CrmExtensions.Application.Campaigns;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Configuration;
using CrmExtensions.Application.Deals;
using CrmExtensions.Application.Jobs;
using CrmExtensions.Application.Ledgers;
using CrmExtensions.Application.Logging;
using CrmExtensions.Application.Mail;
using CrmExtensions.Application.Plugins;
using CrmExtensions.Application.Recommendations;
using CrmExtensions.Application.Reminders;
using CrmExtensions.Application.Reports;
using CrmExtensions.Application.Running;
using CrmExtensions.Application.Users;
using CrmExtensions.Application.Workday;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmExtensions.Application;

/// <summary>Composes the application core: the one place where the workspace and its use cases are wired together.</summary>
internal static class CrmApplication
{
    /// <summary>Loads the configuration and builds the container with every use case.</summary>
    /// <exception cref="Store.CrmException">The configuration file is missing or not valid.</exception>
    public static ServiceProvider Build(WorkspaceOptions options, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        services.AddCrmApplication(options);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Loads the configuration <paramref name="options"/> point at and registers the workspace, logging and every use case.</summary>
    /// <exception cref="Store.CrmException">The configuration file is missing or not valid.</exception>
    public static IServiceCollection AddCrmApplication(this IServiceCollection services, WorkspaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddCrmApplication(options, CrmConfiguration.Load(options.ConfigPath, options.WorkingDirectory, options.Environment));
    }

    /// <summary>Registers the workspace, logging and every use-case service.</summary>
    public static IServiceCollection AddCrmApplication(this IServiceCollection services, WorkspaceOptions options, CrmConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(options);
        services.AddSingleton(configuration);
        services.AddSingleton(options.Time);
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(options.MinimumLevel);
            logging.AddConfiguration(configuration.Logging);
            if (options.MinimumLevel < LogLevel.Warning)
            {
                // --verbose wins over the configuration's default level.
                logging.AddFilter(level => level >= options.MinimumLevel);
            }

            if (options.LogWriter is { } writer)
            {
                logging.AddProvider(new TextWriterLoggerProvider(writer));
            }
        });
        services.AddSingleton<CrmWorkspace>();
        services.AddSingleton<AttachService>();
        services.AddSingleton<SyncService>();
        services.AddSingleton<UnificationService>();
        services.AddSingleton<ClientService>();
        services.AddSingleton<ActivityService>();
        services.AddSingleton<DealService>();
        services.AddSingleton<ReminderService>();
        services.AddSingleton<JobService>();
        services.AddSingleton<MailService>();
        services.AddSingleton<CampaignService>();
        services.AddSingleton<Segments.SegmentService>();
        services.AddSingleton<ReportService>();
        services.AddSingleton<PluginService>();
        services.AddSingleton<RunCycle>();
        services.AddSingleton<WorkdayService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<RecommendationService>();
        return services;
    }

    /// <summary>Registers <c>crmx run</c> as a hosted service with its schedule and the observer that shows its cycles.</summary>
    public static IServiceCollection AddCrmRun(this IServiceCollection services, RunSchedule schedule, IRunObserver observer)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(schedule);
        services.AddSingleton(observer);
        services.AddSingleton<CrmRunService>();
        services.AddHostedService(sp => sp.GetRequiredService<CrmRunService>());
        return services;
    }
}

using System.Runtime.ExceptionServices;
using CrmExtensions.Runtime;
using CrmExtensions.Store.Providers;
using Microsoft.Extensions.Hosting;

namespace CrmExtensions.Application.Running;

/// <summary>How often <c>crmx run</c> cycles and how many cycles it runs before it stops by itself.</summary>
internal sealed record RunSchedule(TimeSpan Interval, int Cycles);

/// <summary>What <c>crmx run</c> shows as it goes; the CLI prints it, a service manager's journal keeps it.</summary>
internal interface IRunObserver
{
    /// <summary>The host is ready: how many ledgers and plugins it runs with, and where its store is.</summary>
    void Started(RunStart start);

    /// <summary>A cycle ended.</summary>
    void CycleEnded(CycleReport report);

    /// <summary>A stop was asked for (Ctrl+C, SIGTERM); the unit of work in hand has been finished.</summary>
    void Stopping();
}

/// <summary>The facts <c>crmx run</c> starts with.</summary>
internal sealed record RunStart(int Ledgers, IReadOnlyList<PluginStatus> Plugins, string Store, TimeSpan Interval, string TimeZone, bool Leases);

/// <summary><c>crmx run</c> as a hosted service: cycles on a schedule until the host stops or the cycles are done.</summary>
/// <remarks>A stop (SIGTERM, Ctrl+C) cancels the cycle's token: the unit of work in hand finishes and commits, the rest waits
/// for the next run. When the cycles are done it stops the host itself.</remarks>
internal sealed class CrmRunService(CrmWorkspace workspace, RunCycle cycle, RunSchedule schedule, IRunObserver observer, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    private ExceptionDispatchInfo? _failure;

    /// <summary>Whether the last cycle that ran failed in a step.</summary>
    public bool LastCycleFailed { get; private set; }

    /// <summary>Throws what stopped the service, if anything did besides a stop request.</summary>
    public void ThrowIfFailed() => _failure?.Throw();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var plugins = await workspace.PluginsAsync(stoppingToken).ConfigureAwait(false);
            var store = workspace.Store;
            observer.Started(new RunStart(workspace.Ledgers.Count, plugins.Plugins, $"{store.Provider.Name()} {store.Describe()}", schedule.Interval,
                workspace.ReminderSettings.TimeZone.Id, cycle.UsesLeases));
            for (var n = 1; n <= schedule.Cycles && !stoppingToken.IsCancellationRequested; n++)
            {
                var report = await cycle.RunAsync(n, stoppingToken).ConfigureAwait(false);
                LastCycleFailed = !report.Succeeded;
                observer.CycleEnded(report);
                if (n == schedule.Cycles || stoppingToken.IsCancellationRequested)
                {
                    break;
                }

                try
                {
                    await Task.Delay(schedule.Interval, workspace.Time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            if (stoppingToken.IsCancellationRequested)
            {
                observer.Stopping();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            observer.Stopping();
        }
#pragma warning disable CA1031 // Handed to the face, which reports it as one line: the host must stop, not crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failure = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}

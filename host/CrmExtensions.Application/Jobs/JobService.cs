using CrmExtensions.Application.Internal;
using CrmExtensions.Runtime;
using CrmExtensions.Store.Jobs;

namespace CrmExtensions.Application.Jobs;

/// <summary>A plugin's scheduled job with its latest slot in the store and the slot due now.</summary>
/// <param name="Job">The job as registered.</param>
/// <param name="DueSlot">The start of the latest slot that has begun: the one the next run would run, unless it is done.</param>
/// <param name="Latest">The latest slot the store knows of, or null when the job never ran.</param>
public sealed record JobStatus(JobInfo Job, DateTimeOffset DueSlot, JobSlotRow? Latest);

/// <summary>The plugins' scheduled jobs (SDK 1.2): what is registered and when it last ran, and running the due slots.</summary>
internal sealed class JobService(CrmWorkspace workspace)
{
    /// <summary>This process's name in the job slots it claims: machine, process id and a random part.</summary>
    public static string HostName { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Every loaded plugin's jobs with their latest slot.</summary>
    public async Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        var latest = await Sync.Run(() => new JobSlots(workspace.Store).Latest(), cancellationToken).ConfigureAwait(false);
        var now = workspace.Time.GetUtcNow();
        return runtime.Jobs.Select(j => new JobStatus(j, j.Schedule.LatestSlot(now, workspace.ReminderSettings.TimeZone),
            latest.FirstOrDefault(r => r.PluginId == j.PluginId && r.JobName == j.Name))).ToList();
    }

    /// <summary>Runs every job whose latest slot has not run, each slot once across hosts.</summary>
    public async Task<JobSummary> RunDueAsync(CancellationToken cancellationToken)
    {
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        return await runtime.RunJobsAsync(workspace.ReminderSettings, HostName, cancellationToken).ConfigureAwait(false);
    }
}

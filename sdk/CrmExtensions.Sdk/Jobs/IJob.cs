using CrmExtensions.Sdk.Reminders;

namespace CrmExtensions.Sdk.Jobs;

/// <summary>Work a plugin does on a schedule, such as recomputing a tag every morning (SDK 1.2); registered with
/// <see cref="IPluginBuilder.AddJob{TJob}(string, JobSchedule)"/>.</summary>
/// <remarks>
/// The host runs each slot of the schedule once across restarts and across several hosts on one store: a host claims the
/// slot in the store before running it, and the job's writes (tags, reminders, mails, plugin data) commit together with
/// the slot's "done" mark, so a host killed half-way leaves nothing behind and the slot is run again by the next cycle.
/// After downtime only the latest slot is run, not every slot missed. A job that throws or overruns its budget has its
/// writes dropped and is tried again in the next cycles (three attempts per slot).
/// </remarks>
/// <example>
/// <code>
/// // Every morning at 06:00: tag the clients that bought nothing for a year.
/// plugin.AddJob&lt;DormantTagJob&gt;("dormant-tags", JobSchedule.DailyAt(new TimeOnly(6, 0)));
///
/// public sealed class DormantTagJob(ICrmFacts facts, ICrmWriter crm) : IJob
/// {
///     public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
///     {
///         await foreach (var client in facts.StreamClientFactsAsync(context.Today, cancellationToken))
///         {
///             var dormant = client.LastInvoiceOn is { } last &amp;&amp; last &lt; context.Today.AddYears(-1);
///             await crm.SetClientTagAsync(client.ClientId, "dormant", dormant ? "yes" : null, cancellationToken);
///         }
///     }
/// }
/// </code>
/// </example>
public interface IJob
{
    /// <summary>Does the job's work for one slot.</summary>
    /// <param name="context">The slot being run and the host's clock, zone and calendar.</param>
    /// <param name="cancellationToken">Cancelled when the job's time budget is spent or the host stops; the writes are then dropped.</param>
    /// <returns>A task that completes when the work is done.</returns>
    Task RunAsync(JobContext context, CancellationToken cancellationToken);
}

/// <summary>What a job is run for (SDK 1.2).</summary>
public sealed class JobContext
{
    /// <summary>Gets the job's name, as registered.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the start of the slot being run (for a daily job, that day at its time in the host's zone).</summary>
    public required DateTimeOffset Slot { get; init; }

    /// <summary>Gets the moment the job started; at or after <see cref="Slot"/>.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Gets the day of <see cref="Now"/> in the host's time zone.</summary>
    public required DateOnly Today { get; init; }

    /// <summary>Gets the host's time zone.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Gets the host's working calendar: weekends and public holidays.</summary>
    public WorkingCalendar Calendar { get; init; } = WorkingCalendar.Weekends;

    /// <summary>Gets the slot this job last completed before this one, or null the first time.</summary>
    public DateTimeOffset? LastCompletedSlot { get; init; }
}

using System.Data;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Runtime.Storage;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Store;
using CrmExtensions.Store.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Runtime.Jobs;

/// <summary>Runs the plugins' scheduled jobs whose latest slot has not run: claim the slot, run the job under its budget,
/// then apply its writes and mark the slot done in one transaction.</summary>
/// <param name="workers">The plugins' workers, which run the jobs in process isolation; null to run them in this process.</param>
internal sealed class JobRunner(CrmStore store, PluginRuntimeOptions options, PluginGuard guard, Workers.WorkerSupervisor? workers = null)
{
    public async Task<JobSummary> RunDueAsync(IReadOnlyList<HostedPlugin> plugins, ReminderSettings settings, string owner, CancellationToken cancellationToken)
    {
        var slots = new JobSlots(store);
        var ran = new List<JobOutcome>();
        var problems = new List<string>();
        var tagWrites = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var plugin in plugins)
        {
            foreach (var job in plugin.Shape.Jobs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var now = store.Time.GetUtcNow();
                var slot = job.Schedule.LatestSlot(now, settings.TimeZone);
                // The claim outlives the budget a little, so a live host's claim is never taken over while its job may still run.
                if (!slots.TryClaim(plugin.Id, job.Name, slot, owner, options.RuleBudget + TimeSpan.FromMinutes(1)))
                {
                    continue;
                }

                var context = new JobContext
                {
                    Name = job.Name, Slot = slot, Now = now, Today = settings.Today(now), TimeZone = settings.TimeZone, Calendar = settings.Calendar,
                    LastCompletedSlot = slots.LastCompleted(plugin.Id, job.Name),
                };
                CallResult<IReadOnlyList<WriteOp>> result;
                try
                {
                    result = workers is null
                        ? await guard.RunAsync(plugin.Id, $"job {job.Name}", options.RuleBudget, token => RunAsync(plugin.InProcess, plugin.InProcess.Job(job.Name)!, context, token), cancellationToken)
                            .ConfigureAwait(false)
                        : await Workers.WorkerCalls.RunJobAsync(workers, plugin, context, options.RuleBudget, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    slots.Release(plugin.Id, job.Name, slot, owner);
                    throw;
                }

                if (!result.Succeeded)
                {
                    slots.Fail(plugin.Id, job.Name, slot, owner, result.Problem!);
                    problems.Add(result.Problem!);
                    ran.Add(new JobOutcome(plugin.Id, job.Name, slot, false));
                    continue;
                }

                if (Apply(slots, plugin.Id, job.Name, slot, owner, result.Value!) is { } writes)
                {
                    ran.Add(new JobOutcome(plugin.Id, job.Name, slot, true));
                    if (writes.TagWrites > 0)
                    {
                        tagWrites[plugin.Id] = tagWrites.GetValueOrDefault(plugin.Id) + writes.TagWrites;
                    }
                }
                else
                {
                    problems.Add($"plugin '{plugin.Id}': job {job.Name}: its slot {slot:yyyy-MM-dd HH:mm:ss}Z was taken over by another host; this run's writes were dropped.");
                }
            }
        }

        return new JobSummary(ran, problems) { TagWrites = tagWrites };
    }

    internal static async Task<IReadOnlyList<WriteOp>> RunAsync(LoadedPlugin plugin, JobRegistration job, JobContext context, CancellationToken token)
    {
        var (scope, writes) = plugin.BeginUnit();
        await using (scope.ConfigureAwait(false))
        {
            await ((IJob)scope.ServiceProvider.GetRequiredService(job.Type)).RunAsync(context, token).ConfigureAwait(false);
            return writes.Seal();
        }
    }

    private AppliedWrites? Apply(JobSlots slots, string pluginId, string job, DateTimeOffset slot, string owner, IReadOnlyList<WriteOp> ops)
    {
        using var connection = store.Open();
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        if (!slots.TryComplete(connection, transaction, pluginId, job, slot, owner))
        {
            transaction.Rollback();
            return null;
        }

        var applied = WriteApplier.Apply(connection, transaction, store.Dialect, pluginId, ops, WriteApplier.Format(store.Time.GetUtcNow()), holdBack: options.HoldBack);
        transaction.Commit();
        return applied;
    }
}

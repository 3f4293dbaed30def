using System.Data.Common;
using CrmExtensions.Store.Internal;
using Dapper;

namespace CrmExtensions.Store.Jobs;

/// <summary>A job's slot as <c>crmx jobs list</c> shows it: the latest slot the store knows of.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="JobName">The job.</param>
/// <param name="Slot">The slot's start, ISO 8601 UTC.</param>
/// <param name="State"><c>pending</c>, <c>running</c>, <c>done</c> or <c>failed</c>.</param>
/// <param name="Attempts">How many times it was started.</param>
/// <param name="FinishedAt">When it last finished or failed, ISO 8601 UTC.</param>
/// <param name="Problem">Why it last failed.</param>
public sealed record JobSlotRow(string PluginId, string JobName, string Slot, string State, long Attempts, string? FinishedAt, string? Problem);

/// <summary>The slots of scheduled jobs: one row per (plugin, job, slot), claimed before the job runs and marked done in the
/// transaction that applies its writes.</summary>
/// <remarks>
/// A claim is a conditional UPDATE that succeeds for one host only: the slot is new, or failed with attempts left, or its
/// claim expired (the host that held it died). Completion is conditional on the claim still being ours, inside the
/// transaction of the job's writes, so a slot's effects commit once even when a slow host's claim was taken over.
/// Correctness does not depend on the run's leases. Thread-safe: every call opens its own connection or uses the caller's.
/// </remarks>
public sealed class JobSlots(CrmStore store)
{
    internal const string EnsureSql =
        "INSERT INTO job_runs (plugin_id, job_name, slot, state, owner, claimed_until, attempts) " +
        "SELECT @pluginId, @job, @slot, 'pending', '', '', 0 WHERE NOT EXISTS (SELECT 1 FROM job_runs WHERE plugin_id = @pluginId AND job_name = @job AND slot = @slot)";

    internal const string ClaimSql =
        "UPDATE job_runs SET state = 'running', owner = @owner, claimed_until = @until, attempts = attempts + 1, started_at = @now, problem = NULL " +
        "WHERE plugin_id = @pluginId AND job_name = @job AND slot = @slot " +
        "AND (state = 'pending' OR (state = 'running' AND claimed_until < @now) OR (state = 'failed' AND attempts < @maxAttempts))";

    internal const string CompleteSql =
        "UPDATE job_runs SET state = 'done', finished_at = @now WHERE plugin_id = @pluginId AND job_name = @job AND slot = @slot AND owner = @owner AND state = 'running'";

    internal const string FailSql =
        "UPDATE job_runs SET state = 'failed', claimed_until = '', finished_at = @now, problem = @problem " +
        "WHERE plugin_id = @pluginId AND job_name = @job AND slot = @slot AND owner = @owner AND state = 'running'";

    internal const string ReleaseSql =
        "UPDATE job_runs SET state = 'pending', claimed_until = '', attempts = attempts - 1 " +
        "WHERE plugin_id = @pluginId AND job_name = @job AND slot = @slot AND owner = @owner AND state = 'running'";

    internal const string LastCompletedSql = "SELECT MAX(slot) FROM job_runs WHERE plugin_id = @pluginId AND job_name = @job AND state = 'done'";

    internal const string PruneSql = "DELETE FROM job_runs WHERE plugin_id = @pluginId AND job_name = @job AND slot < @before";

    internal const string LatestSql =
        "SELECT plugin_id AS PluginId, job_name AS JobName, slot AS Slot, state AS State, attempts AS Attempts, finished_at AS FinishedAt, problem AS Problem " +
        "FROM job_runs r WHERE slot = (SELECT MAX(m.slot) FROM job_runs m WHERE m.plugin_id = r.plugin_id AND m.job_name = r.job_name) ORDER BY plugin_id, job_name";

    /// <summary>How many times a slot is started before it is left failed.</summary>
    public const int MaxAttempts = 3;

    /// <summary>How long finished slots are kept, for <c>crmx jobs list</c> and to find the last completed one.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(7);

    internal static IEnumerable<string> Statements() => [EnsureSql, ClaimSql, CompleteSql, FailSql, ReleaseSql, LastCompletedSql, PruneSql, LatestSql];

    /// <summary>Claims a slot for this host, unless it is done, running elsewhere, or failed too often.</summary>
    /// <param name="pluginId">The plugin.</param>
    /// <param name="job">The job's name.</param>
    /// <param name="slot">The slot's start.</param>
    /// <param name="owner">This host's name.</param>
    /// <param name="claimFor">How long the claim holds before another host may take the slot over.</param>
    /// <returns>True when this host should run the slot now.</returns>
    public bool TryClaim(string pluginId, string job, DateTimeOffset slot, string owner, TimeSpan claimFor)
    {
        var now = store.Time.GetUtcNow();
        var key = new { pluginId, job, slot = StoreTime.Format(slot) };
        using var connection = store.Open();
        try
        {
            connection.Execute(EnsureSql, key);
        }
        catch (DbException)
        {
            // Another host created the row at the same moment: the claim below competes for it.
        }

        return connection.Execute(ClaimSql, new
        {
            key.pluginId, key.job, key.slot, owner, until = StoreTime.Format(now + claimFor), now = StoreTime.Format(now), maxAttempts = MaxAttempts,
        }) == 1;
    }

    /// <summary>Marks a claimed slot done inside the transaction that applies the job's writes, and forgets slots older than <see cref="Kept"/>.</summary>
    /// <returns>False when the claim is no longer ours (another host took it over): roll the writes back.</returns>
    public bool TryComplete(DbConnection connection, DbTransaction transaction, string pluginId, string job, DateTimeOffset slot, string owner)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var done = connection.Execute(CompleteSql, new { pluginId, job, slot = StoreTime.Format(slot), owner, now = StoreTime.Now(store.Time) }, transaction) == 1;
        if (done)
        {
            connection.Execute(PruneSql, new { pluginId, job, before = StoreTime.Format(slot - Kept) }, transaction);
        }

        return done;
    }

    /// <summary>Records that a claimed slot failed; it is tried again while it has attempts left and is still the latest.</summary>
    public void Fail(string pluginId, string job, DateTimeOffset slot, string owner, string problem)
    {
        using var connection = store.Open();
        connection.Execute(FailSql, new { pluginId, job, slot = StoreTime.Format(slot), owner, now = StoreTime.Now(store.Time), problem });
    }

    /// <summary>Gives a claimed slot back untouched (the host is stopping): the next cycle runs it, the attempt not counted.</summary>
    public void Release(string pluginId, string job, DateTimeOffset slot, string owner)
    {
        using var connection = store.Open();
        connection.Execute(ReleaseSql, new { pluginId, job, slot = StoreTime.Format(slot), owner });
    }

    /// <summary>The latest slot of a job that completed, or null.</summary>
    public DateTimeOffset? LastCompleted(string pluginId, string job)
    {
        using var connection = store.Open();
        return connection.ExecuteScalar<string?>(LastCompletedSql, new { pluginId, job }) is { } text
            ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal)
            : null;
    }

    /// <summary>Each job's latest slot, by plugin and job.</summary>
    public IReadOnlyList<JobSlotRow> Latest()
    {
        using var connection = store.Open();
        return connection.Query<JobSlotRow>(LatestSql).ToList();
    }
}

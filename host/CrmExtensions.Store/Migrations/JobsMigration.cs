using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 21: the slots of the plugins' scheduled jobs, one row per (plugin, job, slot).</summary>
/// <remarks>The row is claimed before the job runs and marked done in the transaction that applies the job's writes, so
/// each slot's effects commit once however many hosts share the store.</remarks>
internal static class JobsMigration
{
    public static Migration Migration { get; } = new(21, "scheduled jobs' slots", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE job_runs (plugin_id {key} NOT NULL, job_name {key} NOT NULL, slot {key} NOT NULL, state {key} NOT NULL, " +
            "owner {key} NOT NULL, claimed_until {key} NOT NULL, attempts {bigint} NOT NULL, started_at {key} NULL, finished_at {key} NULL, " +
            "problem {text} NULL, PRIMARY KEY (plugin_id, job_name, slot))");
    }
}

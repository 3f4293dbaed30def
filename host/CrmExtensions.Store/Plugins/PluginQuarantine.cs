using CrmExtensions.Store.Internal;
using Dapper;

namespace CrmExtensions.Store.Plugins;

/// <summary>A plugin set aside after failing too often: <c>crmx plugins list</c> shows it, every command skips it.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Reason">The failure that tipped it over, and how many there were.</param>
/// <param name="QuarantinedAt">When, ISO 8601 UTC.</param>
public sealed record QuarantinedPlugin(string PluginId, string Reason, string QuarantinedAt);

/// <summary>The one writer of <c>plugin_worker_failures</c> and <c>plugin_quarantine</c>: the failures of plugins' worker calls,
/// and the plugins quarantined because of them.</summary>
/// <remarks>Failures are kept in the store, not in memory, so that separate commands (each <c>crmx reminders run</c> a
/// process of its own) and several hosts count one plugin's failures together. Thread-safe: every call opens its own connection.</remarks>
public sealed class PluginQuarantine(CrmStore store)
{
    internal const string AddFailureSql =
        "INSERT INTO plugin_worker_failures (plugin_id, failed_at, call_name, problem) VALUES (@pluginId, @failedAt, @call, @problem)";

    internal const string CountSql = "SELECT COUNT(*) FROM plugin_worker_failures WHERE plugin_id = @pluginId AND failed_at >= @since";

    internal const string QuarantineSql =
        "INSERT INTO plugin_quarantine (plugin_id, reason, quarantined_at) " +
        "SELECT @pluginId, @reason, @at WHERE NOT EXISTS (SELECT 1 FROM plugin_quarantine WHERE plugin_id = @pluginId)";

    internal const string ListSql = "SELECT plugin_id AS PluginId, reason AS Reason, quarantined_at AS QuarantinedAt FROM plugin_quarantine ORDER BY plugin_id";

    internal const string ReleaseSql = "DELETE FROM plugin_quarantine WHERE plugin_id = @pluginId";

    internal const string ForgetSql = "DELETE FROM plugin_worker_failures WHERE plugin_id = @pluginId";

    internal const string PruneSql = "DELETE FROM plugin_worker_failures WHERE failed_at < @before";

    internal static IEnumerable<string> Statements() => [AddFailureSql, CountSql, QuarantineSql, ListSql, ReleaseSql, ForgetSql, PruneSql];

    /// <summary>Records one failure; quarantines the plugin when it failed <paramref name="limit"/> times within <paramref name="window"/>.</summary>
    /// <param name="pluginId">The plugin.</param>
    /// <param name="call">The call it was in (<c>startup</c>, <c>reminder rule X</c>, <c>job Y</c>).</param>
    /// <param name="problem">The failure, in one line.</param>
    /// <param name="limit">How many failures within the window quarantine it.</param>
    /// <param name="window">How far back failures count.</param>
    /// <returns>The quarantine when this failure caused it (or it was quarantined already), else null.</returns>
    public QuarantinedPlugin? RecordFailure(string pluginId, string call, string problem, int limit, TimeSpan window)
    {
        var now = store.Time.GetUtcNow();
        using var connection = store.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(PruneSql, new { before = StoreTime.Format(now - window - window) }, transaction);
        connection.Execute(AddFailureSql, new { pluginId, failedAt = StoreTime.Format(now), call, problem }, transaction);
        var count = connection.ExecuteScalar<long>(CountSql, new { pluginId, since = StoreTime.Format(now - window) }, transaction);
        if (count >= limit)
        {
            var reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count} failures within {Describe(window)}; the last: {problem}");
            connection.Execute(QuarantineSql, new { pluginId, reason, at = StoreTime.Format(now) }, transaction);
        }

        transaction.Commit();
        return List().FirstOrDefault(q => q.PluginId == pluginId);
    }

    /// <summary>Every quarantined plugin, by id.</summary>
    /// <returns>The plugins.</returns>
    public IReadOnlyList<QuarantinedPlugin> List()
    {
        using var connection = store.Open();
        return connection.Query<QuarantinedPlugin>(ListSql).ToList();
    }

    /// <summary>Ends a plugin's quarantine and forgets its failures, so it starts again with a clean count.</summary>
    /// <param name="pluginId">The plugin, as its manifest spells it.</param>
    /// <returns>False when it was not quarantined.</returns>
    public bool Release(string pluginId)
    {
        using var connection = store.Open();
        using var transaction = connection.BeginTransaction();
        var released = connection.Execute(ReleaseSql, new { pluginId }, transaction) > 0;
        connection.Execute(ForgetSql, new { pluginId }, transaction);
        transaction.Commit();
        return released;
    }

    private static string Describe(TimeSpan window) => window.TotalHours >= 1
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{window.TotalHours:0.#} h")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{window.TotalMinutes:0.#} min");
}

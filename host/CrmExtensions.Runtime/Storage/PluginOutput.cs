using CrmExtensions.Store;
using Dapper;

namespace CrmExtensions.Runtime.Storage;

/// <summary>What plugins have written to the store beyond their reminders: for <c>crmx demo</c> to show.</summary>
/// <remarks>Reminders per plugin are counted where they are evaluated (<see cref="ReminderSummary"/>); this adds the rest.</remarks>
public sealed record PluginOutput(
    IReadOnlyList<(string Name, string Value, long Clients)> Tags,
    IReadOnlyList<(string PluginId, string Subject)> SampleMails)
{
    internal const string TagsSql = "SELECT name AS Name, value AS Value, COUNT(*) AS Count FROM client_tags GROUP BY name, value ORDER BY name, value";
    internal const string FirstMailSql = "SELECT plugin_id AS PluginId, MIN(subject) AS Text FROM outbox GROUP BY plugin_id";

    internal static IEnumerable<string> Statements() => [TagsSql, FirstMailSql];

    /// <summary>Reads clients per tag value and one mail subject per plugin.</summary>
    /// <param name="store">The store.</param>
    /// <returns>The figures, plugins in id order.</returns>
    public static PluginOutput Read(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var connection = store.Open();
        var tags = connection.Query<(string Name, string Value, long Count)>(TagsSql).ToList();
        var subjects = connection.Query<(string PluginId, string Text)>(FirstMailSql).OrderBy(r => r.PluginId, StringComparer.Ordinal).ToList();
        return new PluginOutput(tags, subjects);
    }
}

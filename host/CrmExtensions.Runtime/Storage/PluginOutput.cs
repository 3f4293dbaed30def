using CrmExtensions.Store;
using Dapper;

namespace CrmExtensions.Runtime.Storage;

/// <summary>What plugins have written to the store, in figures and a few examples: for <c>crmx demo</c> to show.</summary>
public sealed record PluginOutput(
    IReadOnlyList<(string PluginId, long Reminders, long Mails)> ByPlugin,
    IReadOnlyList<(string Name, string Value, long Clients)> Tags,
    IReadOnlyList<(string PluginId, string Title)> SampleReminders,
    IReadOnlyList<(string PluginId, string Subject)> SampleMails)
{
    internal const string RemindersSql = "SELECT plugin_id AS PluginId, COUNT(*) AS Count FROM reminders GROUP BY plugin_id";
    internal const string MailsSql = "SELECT plugin_id AS PluginId, COUNT(*) AS Count FROM outbox GROUP BY plugin_id";
    internal const string TagsSql = "SELECT name AS Name, value AS Value, COUNT(*) AS Count FROM client_tags GROUP BY name, value ORDER BY name, value";
    internal const string FirstReminderSql = "SELECT plugin_id AS PluginId, MIN(title) AS Text FROM reminders GROUP BY plugin_id";
    internal const string FirstMailSql = "SELECT plugin_id AS PluginId, MIN(subject) AS Text FROM outbox GROUP BY plugin_id";

    internal static IEnumerable<string> Statements() => [RemindersSql, MailsSql, TagsSql, FirstReminderSql, FirstMailSql];

    /// <summary>Reads the figures: reminders and mails per plugin, clients per tag value, one reminder title and one mail subject per plugin.</summary>
    /// <param name="store">The store.</param>
    /// <returns>The figures, plugins in id order.</returns>
    public static PluginOutput Read(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var connection = store.Open();
        var reminders = connection.Query<(string PluginId, long Count)>(RemindersSql).ToDictionary(r => r.PluginId, r => r.Count);
        var mails = connection.Query<(string PluginId, long Count)>(MailsSql).ToDictionary(r => r.PluginId, r => r.Count);
        var plugins = reminders.Keys.Union(mails.Keys).Order(StringComparer.Ordinal)
            .Select(p => (p, reminders.GetValueOrDefault(p), mails.GetValueOrDefault(p))).ToList();
        var tags = connection.Query<(string Name, string Value, long Count)>(TagsSql).ToList();
        var titles = connection.Query<(string PluginId, string Text)>(FirstReminderSql).OrderBy(r => r.PluginId, StringComparer.Ordinal).ToList();
        var subjects = connection.Query<(string PluginId, string Text)>(FirstMailSql).OrderBy(r => r.PluginId, StringComparer.Ordinal).ToList();
        return new PluginOutput(plugins, tags, titles, subjects);
    }
}

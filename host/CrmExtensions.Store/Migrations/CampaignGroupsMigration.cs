using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 25: who of a campaign's segment was mailed, kept back as its control group, or held back, and when.</summary>
/// <remarks>
/// One row per (campaign, client), written by the campaign's first send and never changed: a client once in the control
/// group is never mailed by a later send of the same campaign, and the effectiveness report compares the groups from
/// <c>sent_on</c>. <c>abc_class</c> is the client's ABC class on that day, for the report's breakdown.
/// </remarks>
internal static class CampaignGroupsMigration
{
    public static Migration Migration { get; } = new(25, "campaign groups: mailed, control and held back clients of each campaign send", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE campaign_groups (campaign {key} NOT NULL, client_id {bigint} NOT NULL, group_name {key} NOT NULL, " +
            "sent_on {key} NOT NULL, abc_class {key} NULL, reason {text} NULL, segment {text} NULL, recorded_at {key} NOT NULL, PRIMARY KEY (campaign, client_id))");
        yield return "CREATE INDEX ix_campaign_groups_sent ON campaign_groups (sent_on, campaign)";
    }
}

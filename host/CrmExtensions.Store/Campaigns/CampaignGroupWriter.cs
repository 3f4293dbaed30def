using System.Data.Common;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Campaigns;

/// <summary>The groups of a campaign's segment, as <c>campaign_groups.group_name</c> writes them.</summary>
public static class CampaignGroups
{
    /// <summary>Clients the campaign's mail was queued to.</summary>
    public const string Mailed = "mailed";

    /// <summary>Clients drawn into the control group: never mailed by the campaign, the baseline of its effectiveness.</summary>
    public const string Control = "control";

    /// <summary>Clients held back for unresolved problems (overdue debt, an open complaint); the reason is kept.</summary>
    public const string HeldBack = "held";
}

/// <summary>One client's group in a campaign: its class on the send day and, when held back, why.</summary>
public sealed record CampaignGroupRow(string Campaign, long ClientId, string Group, DateOnly SentOn, string? AbcClass, string? Reason, string? Segment);

/// <summary>The one writer of <c>campaign_groups</c>: records each client's group the first time a campaign is sent; never changes it.</summary>
public sealed class CampaignGroupWriter(CrmStore store)
{
    internal static string InsertSql(StoreDialect dialect) =>
        dialect.InsertIfAbsent("campaign_groups", "campaign, client_id, group_name, sent_on, abc_class, reason, segment, recorded_at",
            "@campaign, @client, @group, @sentOn, @abc, @reason, @segment, @now", ("campaign", "campaign"), ("client_id", "client"));

    /// <summary>Every statement for a dialect, for the T-SQL parse test.</summary>
    public static IEnumerable<string> Statements(StoreDialect dialect) => [InsertSql(dialect)];

    /// <summary>Records the rows whose (campaign, client) is not recorded yet, in one transaction.</summary>
    /// <returns>How many were new.</returns>
    public async Task<int> RecordAsync(IReadOnlyList<CampaignGroupRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return 0;
        }

        using var connection = store.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = StoreTime.Now(store.Time);
        var sql = InsertSql(store.Dialect);
        var added = 0;
        foreach (var r in rows)
        {
            added += await connection.ExecuteAsync(new CommandDefinition(sql, new
            {
                campaign = r.Campaign, client = r.ClientId, group = r.Group, sentOn = Reporting.ReportingWindow.Text(r.SentOn), abc = r.AbcClass,
                reason = r.Reason, segment = r.Segment, now,
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }
}

/// <summary>Reads the recorded groups of campaigns.</summary>
public static class CampaignGroupReader
{
    internal const string OfCampaignSql =
        "SELECT campaign AS Campaign, client_id AS ClientId, group_name AS GroupName, sent_on AS SentOn, abc_class AS AbcClass, reason AS Reason, segment AS Segment " +
        "FROM campaign_groups WHERE campaign = @campaign ORDER BY client_id";

    internal const string CountsSql =
        "SELECT campaign AS Campaign, group_name AS GroupName, MIN(sent_on) AS SentOn, CAST(COUNT(*) AS BIGINT) AS Clients FROM campaign_groups GROUP BY campaign, group_name";

    /// <summary>Every statement, for the T-SQL parse test.</summary>
    public static IEnumerable<string> Statements() => [OfCampaignSql, CountsSql];

    /// <summary>Every client recorded for a campaign, by client id; empty when it was never sent.</summary>
    public static IReadOnlyList<CampaignGroupRow> OfCampaign(DbConnection connection, string campaign)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Query<(string Campaign, long ClientId, string GroupName, string SentOn, string? AbcClass, string? Reason, string? Segment)>(OfCampaignSql, new { campaign })
            .Select(r => new CampaignGroupRow(r.Campaign, r.ClientId, r.GroupName, DateOnly.ParseExact(r.SentOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                r.AbcClass, r.Reason, r.Segment)).ToList();
    }

    /// <summary>How many clients each campaign has in each group, with the day it was first sent.</summary>
    public static IReadOnlyList<(string Campaign, string Group, string SentOn, long Clients)> Counts(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Query<(string Campaign, string GroupName, string SentOn, long Clients)>(CountsSql).ToList();
    }
}

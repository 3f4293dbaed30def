using System.Globalization;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using Dapper;

namespace CrmExtensions.Mail.Campaigns;

/// <summary>
/// Queues campaign mail into the store's <c>outbox</c> table (migration 3's columns), once per business key; the
/// body column keeps the HTML body when there is one, else the text.
/// </summary>
/// <remarks>Unsubscribe links here are plain (unsigned) links to <c>unsubscribeBase</c>.</remarks>
internal sealed class StoreCampaignOutbox(CrmStore store, string unsubscribeBase) : ICampaignOutbox
{
    internal const string InsertSql =
        "INSERT INTO outbox (business_key, plugin_id, template, to_address, subject, body, status, created_at) " +
        "SELECT @key, @source, @template, @to, @subject, @body, 'queued', @now WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE business_key = @key)";

    internal const string StatusSql = "SELECT status AS Status, COUNT(*) AS Count FROM outbox WHERE plugin_id = @source GROUP BY status ORDER BY status";

    internal static IEnumerable<string> Statements() => [InsertSql, StatusSql];

    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var now = store.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        await using var connection = store.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var queued = 0;
        foreach (var m in messages)
        {
            queued += await connection.ExecuteAsync(new CommandDefinition(InsertSql,
                new { key = m.BusinessKey, source = m.Source, template = m.Template, to = m.To, subject = m.Subject, body = m.HtmlBody ?? m.TextBody ?? "", now },
                transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return queued;
    }

    public string UnsubscribeUrl(long clientId, string address) =>
        string.Create(CultureInfo.InvariantCulture, $"{unsubscribeBase.TrimEnd('/')}?client={clientId}&address={Uri.EscapeDataString(address)}");

    public IReadOnlyList<(string Status, long Count)> Status(string source)
    {
        using var connection = store.Open();
        return connection.Query<(string, long)>(StatusSql, new { source }).ToList();
    }
}

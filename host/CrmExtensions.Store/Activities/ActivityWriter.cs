using System.Data.Common;
using CrmExtensions.Store.Clients;

namespace CrmExtensions.Store.Activities;

/// <summary>An activity row to insert.</summary>
/// <param name="PluginId">The plugin that recorded it, or <see cref="ActivityStore.HostPluginId"/>.</param>
/// <param name="ClientId">The client; null for the client of the counterparty at the time of writing.</param>
/// <param name="Source"><c>cli</c>, <c>import</c> or a plugin id.</param>
/// <param name="ImportKey">A row with an import key already in the store is not added.</param>
internal sealed record ActivityInsert(
    string Id, string PluginId, long? ClientId, string Ledger, string CounterpartyId, string Kind, string Subject, string? Notes, string RecordedAt,
    string OccurredAt, string Source, string? Contact = null, string? DealId = null, string? Manager = null, string? Channel = null,
    string? Direction = null, string? Outcome = null, long? ImportLine = null, string? ImportKey = null);

/// <summary>The one writer of the <c>activities</c> table: the contact log of people, imports and plugins.</summary>
/// <remarks>Works on the caller's connection and transaction. The insert is prepared once and reused for every row,
/// so an import of many rows pays for one statement.</remarks>
internal sealed class ActivityWriter(DbConnection connection, DbTransaction? transaction) : IDisposable
{
    // Without a client, it is the counterparty's at the time of writing, so a client's log includes what plugins wrote.
    internal const string InsertSql =
        "INSERT INTO activities (activity_id, plugin_id, kind, subject, notes, ledger, counterparty_id, recorded_at, client_id, contact, deal_id, " +
        "manager, channel, direction, outcome, occurred_at, source, import_line, import_key) " +
        "SELECT @id, @pluginId, @kind, @subject, @notes, @ledger, @counterpartyId, @recordedAt, " +
        "COALESCE(@clientId, (SELECT m.client_id FROM client_members m WHERE m.ledger = @ledger AND m.ledger_id = @counterpartyId)), " +
        "@contact, @dealId, @manager, @channel, @direction, @outcome, @occurredAt, @source, @importLine, @importKey " +
        "WHERE NOT EXISTS (SELECT 1 FROM activities WHERE import_key = @importKey)";

    private static readonly string[] Parameters =
    [
        "id", "pluginId", "kind", "subject", "notes", "ledger", "counterpartyId", "recordedAt", "clientId", "contact", "dealId",
        "manager", "channel", "direction", "outcome", "occurredAt", "source", "importLine", "importKey",
    ];

    private RowWriter? _insert;

    /// <summary>Every statement, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements() => [InsertSql];

    /// <summary>Inserts an activity unless its import key is already in the store.</summary>
    /// <returns>1 when added, 0 when skipped.</returns>
    public int Add(ActivityInsert a)
    {
        _insert ??= new RowWriter(connection, transaction, InsertSql, Parameters);
        return _insert.Execute(a.Id, a.PluginId, a.Kind, a.Subject, a.Notes, a.Ledger, a.CounterpartyId, a.RecordedAt, a.ClientId, a.Contact,
            a.DealId, a.Manager, a.Channel, a.Direction, a.Outcome, a.OccurredAt, a.Source, a.ImportLine, a.ImportKey);
    }

    public void Dispose() => _insert?.Dispose();
}

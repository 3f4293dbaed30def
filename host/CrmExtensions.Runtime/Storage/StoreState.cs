using CrmExtensions.Sdk.Shared;
using CrmExtensions.Store;
using Dapper;

namespace CrmExtensions.Runtime.Storage;

/// <summary>What the writes need to know about committed rows, read from the store.</summary>
internal sealed class StoreState(CrmStore store) : ICommittedState
{
    internal const string ReminderExistsSql = "SELECT COUNT(*) FROM reminders WHERE plugin_id = @pluginId AND reminder_key = @key";
    internal const string MailKeyExistsSql = "SELECT COUNT(*) FROM outbox WHERE business_key = @key";
    internal const string DataSql = "SELECT value FROM plugin_data WHERE plugin_id = @pluginId AND data_key = @key";
    internal const string ClientExistsSql = "SELECT COUNT(*) FROM clients WHERE client_id = @id";

    internal static IEnumerable<string> Statements() => [ReminderExistsSql, MailKeyExistsSql, DataSql, ClientExistsSql];

    public async Task<bool> ReminderExistsAsync(string pluginId, string key, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(ReminderExistsSql, new { pluginId, key }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    public async Task<bool> MailKeyExistsAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(MailKeyExistsSql, new { key }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    public async Task<(bool Found, string? Value)> GetDataAsync(string pluginId, string key, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var values = (await connection.QueryAsync<string>(new CommandDefinition(DataSql, new { pluginId, key }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        return values.Count == 0 ? (false, null) : (true, values[0]);
    }

    public async Task<bool> ClientExistsAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!StoreClientIds.TryParse(clientId, out var id))
        {
            return false;
        }

        await using var connection = store.Open();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(ClientExistsSql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }
}

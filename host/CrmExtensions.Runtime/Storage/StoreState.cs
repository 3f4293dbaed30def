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
    internal const string ClientIdsSql = "SELECT client_id FROM clients";

    internal static IEnumerable<string> Statements() => [ReminderExistsSql, MailKeyExistsSql, DataSql, ClientExistsSql, ClientIdsSql];

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

    /// <remarks>Clients are never deleted (one that unification no longer produces is retired), so an id found once is
    /// there for good and is not looked up again. The first <see cref="FewChecks"/> ids are looked up one by one (a job or a
    /// guard checks a few); past them every id handed out is read in one pass, as a rule that writes a tag or a reminder for
    /// most clients checks most of them (a million look-ups at a million counterparties), and an id not among them is still
    /// looked up: a client made since.</remarks>
    public async Task<bool> ClientExistsAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!StoreClientIds.TryParse(clientId, out var id))
        {
            return false;
        }

        bool readAll;
        lock (_found)
        {
            if (_found.Contains(id))
            {
                return true;
            }

            readAll = ++_checks == FewChecks;
        }

        await using var connection = store.Open();
        if (readAll)
        {
            var all = await connection.QueryAsync<long>(new CommandDefinition(ClientIdsSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
            lock (_found)
            {
                _found.UnionWith(all);
                if (_found.Contains(id))
                {
                    return true;
                }
            }
        }

        var found = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ClientExistsSql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
        if (found)
        {
            lock (_found)
            {
                _found.Add(id);
            }
        }

        return found;
    }

    /// <summary>How many ids are looked up one by one before all are read.</summary>
    internal const int FewChecks = 1_000;

    private readonly HashSet<long> _found = [];
    private int _checks;
}

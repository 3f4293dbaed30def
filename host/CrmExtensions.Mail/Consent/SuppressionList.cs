using CrmExtensions.Store;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Mail.Consent;

/// <summary>One address (and, when known, its client) that receives no marketing mail.</summary>
public sealed class Suppression
{
    /// <summary>Gets the address, trimmed and lower-case.</summary>
    public string Address { get; init; } = "";

    /// <summary>Gets the client whose every address is suppressed, if the unsubscribe named one.</summary>
    public long? ClientId { get; init; }

    /// <summary>Gets why: <c>unsubscribe</c>, <c>manual</c>, <c>bounce</c>.</summary>
    public string Reason { get; init; } = "";

    /// <summary>Gets where it came from (a campaign, a person), if known.</summary>
    public string? Source { get; init; }

    /// <summary>Gets when it was first recorded (ISO 8601 UTC).</summary>
    public string CreatedAt { get; init; } = "";
}

/// <summary>The suppression list: addresses and clients that every later marketing mail skips.</summary>
/// <remarks>Checked when a campaign is queued and again right before each marketing mail is sent. Transactional mail ignores it.</remarks>
public sealed class SuppressionList
{
    internal const string ListSql =
        "SELECT address AS Address, client_id AS ClientId, reason AS Reason, source AS Source, created_at AS CreatedAt FROM mail_suppressions ORDER BY created_at, address";

    private readonly CrmStore _store;

    /// <summary>Creates the list of a migrated store.</summary>
    public SuppressionList(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    internal static string AddSql(StoreDialect dialect) =>
        dialect.Upsert("mail_suppressions", ["address"], ["address", "client_id", "reason", "source", "created_at"], insertOnly: ["created_at"]);

    /// <summary>Every statement for a dialect, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) => [AddSql(dialect), ListSql];

    /// <summary>How addresses are compared: trimmed, lower-case.</summary>
    public static string Normalize(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Trim().ToLowerInvariant();
    }

    /// <summary>Adds (or updates) a suppression.</summary>
    /// <exception cref="CrmException">The address is not an e-mail address.</exception>
    public async Task AddAsync(string address, long? clientId, string reason, string? source, CancellationToken cancellationToken)
    {
        var normalized = Normalize(address);
        if (normalized.Length < 3 || !normalized.Contains('@', StringComparison.Ordinal))
        {
            throw new CrmException($"'{address}' is not an e-mail address.");
        }

        await using var connection = _store.Open();
        await connection.ExecuteAsync(new CommandDefinition(AddSql(_store.Dialect), new
        {
            address = normalized, client_id = clientId, reason, source, created_at = StoreTime.Now(_store.Time),
        }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Every suppression, oldest first.</summary>
    public async Task<IReadOnlyList<Suppression>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = _store.Open();
        return (await connection.QueryAsync<Suppression>(new CommandDefinition(ListSql, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
    }
}

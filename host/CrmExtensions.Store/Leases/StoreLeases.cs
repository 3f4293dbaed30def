using System.Data.Common;
using CrmExtensions.Store.Internal;
using Dapper;

namespace CrmExtensions.Store.Leases;

/// <summary>Named leases in the store, so that several hosts on one store do not run the same job at the same moment.</summary>
/// <remarks>
/// A lease is a row (<c>name</c>, <c>owner</c>, <c>expires_at</c>) claimed by a conditional UPDATE: it succeeds only when
/// the lease is free, expired or already ours, and the database makes two claims of one row take turns. A host that
/// dies holding a lease blocks that job until it expires. Leases save work; correctness never depends on them.
/// Thread-safe: every call opens its own connection.
/// </remarks>
public sealed class StoreLeases
{
    internal const string EnsureSql =
        "INSERT INTO leases (name, owner, expires_at, acquired_at) SELECT @name, '', '', '' WHERE NOT EXISTS (SELECT 1 FROM leases WHERE name = @name)";

    internal const string ClaimSql =
        "UPDATE leases SET owner = @owner, expires_at = @expires, acquired_at = @now WHERE name = @name AND (owner = @owner OR expires_at < @now)";

    internal const string TakeOverSql =
        "UPDATE leases SET owner = @owner, expires_at = @expires, acquired_at = @now WHERE name = @name AND owner = @previous";

    internal const string ReleaseSql = "UPDATE leases SET expires_at = '' WHERE name = @name AND owner = @owner";

    internal const string HolderSql = "SELECT owner AS Owner, expires_at AS ExpiresAt FROM leases WHERE name = @name";

    private readonly CrmStore _store;

    /// <summary>Creates the leases of one host.</summary>
    /// <param name="store">The migrated store.</param>
    /// <param name="owner">This host's name, unique among the hosts (machine, process id and a random part).</param>
    public StoreLeases(CrmStore store, string owner)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        _store = store;
        Owner = owner;
    }

    /// <summary>Gets this host's name in the <c>owner</c> column.</summary>
    public string Owner { get; }

    internal static IEnumerable<string> Statements() => [EnsureSql, ClaimSql, TakeOverSql, ReleaseSql, HolderSql];

    /// <summary>Takes (or renews) a lease for a while.</summary>
    /// <param name="name">The job.</param>
    /// <param name="duration">How long it is ours unless released or renewed.</param>
    /// <returns>True when the lease is ours now.</returns>
    public bool TryAcquire(string name, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var now = _store.Time.GetUtcNow();
        using var connection = _store.Open();
        try
        {
            connection.Execute(EnsureSql, new { name });
        }
        catch (DbException)
        {
            // Another host created the row at the same moment: the claim below competes for it.
        }

        return connection.Execute(ClaimSql, new { name, owner = Owner, expires = StoreTime.Format(now + duration), now = StoreTime.Format(now) }) == 1;
    }

    /// <summary>Takes a lease from a holder known to be dead (a process of this machine that no longer runs), before it expires.</summary>
    /// <param name="name">The job.</param>
    /// <param name="previous">The dead holder, as <see cref="Holder"/> gave it: if someone else took the lease since, nothing happens.</param>
    /// <param name="duration">How long it is ours.</param>
    /// <returns>True when the lease is ours now.</returns>
    public bool TryTakeOver(string name, string previous, TimeSpan duration)
    {
        var now = _store.Time.GetUtcNow();
        using var connection = _store.Open();
        return connection.Execute(TakeOverSql, new { name, owner = Owner, previous, expires = StoreTime.Format(now + duration), now = StoreTime.Format(now) }) == 1;
    }

    /// <summary>Gives a lease back so another host may take it at once; does nothing when it is not ours.</summary>
    /// <param name="name">The job.</param>
    public void Release(string name)
    {
        using var connection = _store.Open();
        connection.Execute(ReleaseSql, new { name, owner = Owner });
    }

    /// <summary>Returns who holds a lease and until when, or null when it was never taken.</summary>
    /// <param name="name">The job.</param>
    public (string Owner, string ExpiresAt)? Holder(string name)
    {
        using var connection = _store.Open();
        var rows = connection.Query<(string Owner, string ExpiresAt)>(HolderSql, new { name }).ToList();
        return rows.Count == 0 ? null : rows[0];
    }
}

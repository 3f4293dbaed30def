using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Web;

/// <summary>A person who signs in to the web workspace.</summary>
/// <param name="UserName">The name as it was typed when the user was added; signing in ignores case.</param>
/// <param name="Role"><c>manager</c>, <c>director</c> or <c>admin</c>.</param>
/// <param name="Manager">The name the ledgers give this person as a manager (what "my clients" means), or null.</param>
/// <param name="SecurityStamp">Changes when the password is reset or the user disabled: cookies issued before stop working.</param>
/// <param name="LockedUntil">An instant as the store writes them, or null.</param>
public sealed record WebUser(string UserName, string Role, string? Manager, string PasswordHash, string SecurityStamp, long FailedCount,
    string? LockedUntil, string? DisabledAt, string CreatedAt, string? LastSignInAt)
{
    /// <summary>True unless the user has been disabled.</summary>
    public bool Enabled => DisabledAt is null;

    /// <summary>Whether the user is locked out at an instant.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && string.CompareOrdinal(until, StoreTime.Format(now)) > 0;
}

/// <summary>The one reader and writer of <c>web_users</c>.</summary>
public sealed class WebUserStore(CrmStore store)
{
    private readonly CrmStore _store = store ?? throw new ArgumentNullException(nameof(store));

    private const string Columns =
        "SELECT user_name AS UserName, role AS Role, manager AS Manager, password_hash AS PasswordHash, security_stamp AS SecurityStamp, " +
        "failed_count AS FailedCount, locked_until AS LockedUntil, disabled_at AS DisabledAt, created_at AS CreatedAt, last_sign_in_at AS LastSignInAt FROM web_users ";

    internal const string FindSql = Columns + "WHERE normalized_name = @key";

    internal const string ListSql = Columns + "ORDER BY normalized_name";

    internal const string InsertSql =
        "INSERT INTO web_users (normalized_name, user_name, role, manager, password_hash, security_stamp, failed_count, created_at, updated_at) " +
        "VALUES (@key, @name, @role, @manager, @hash, @stamp, 0, @now, @now)";

    internal const string SetPasswordSql =
        "UPDATE web_users SET password_hash = @hash, security_stamp = @stamp, failed_count = 0, locked_until = NULL, updated_at = @now WHERE normalized_name = @key";

    internal const string DisableSql =
        "UPDATE web_users SET disabled_at = @now, security_stamp = @stamp, updated_at = @now WHERE normalized_name = @key AND disabled_at IS NULL";

    internal const string EnableSql =
        "UPDATE web_users SET disabled_at = NULL, failed_count = 0, locked_until = NULL, updated_at = @now WHERE normalized_name = @key AND disabled_at IS NOT NULL";

    internal const string FailedSql =
        "UPDATE web_users SET failed_count = failed_count + 1, updated_at = @now WHERE normalized_name = @key";

    internal const string LockSql =
        "UPDATE web_users SET locked_until = @until, failed_count = 0, updated_at = @now WHERE normalized_name = @key";

    internal const string SignedInSql =
        "UPDATE web_users SET failed_count = 0, locked_until = NULL, last_sign_in_at = @now, updated_at = @now WHERE normalized_name = @key";

    /// <summary>Every statement, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) =>
        [FindSql, ListSql, InsertSql, SetPasswordSql, DisableSql, EnableSql, FailedSql, LockSql, SignedInSql];

    /// <summary>The key a name is stored under: case and surrounding blanks do not make another user.</summary>
    public static string Normalize(string name) => (name ?? throw new ArgumentNullException(nameof(name))).Trim().ToUpperInvariant();

    /// <summary>The user with this name (any case), or null.</summary>
    public WebUser? Find(string name)
    {
        using var connection = _store.Open();
        return connection.QuerySingleOrDefault<WebUser>(FindSql, new { key = Normalize(name) });
    }

    /// <summary>Every user, by name.</summary>
    public IReadOnlyList<WebUser> List()
    {
        using var connection = _store.Open();
        return connection.Query<WebUser>(ListSql).AsList();
    }

    /// <summary>Adds a user; false when one with the name exists.</summary>
    public bool Add(string name, string role, string? manager, string passwordHash)
    {
        using var connection = _store.Open();
        if (connection.QuerySingleOrDefault<WebUser>(FindSql, new { key = Normalize(name) }) is not null)
        {
            return false;
        }

        connection.Execute(InsertSql, new { key = Normalize(name), name = name.Trim(), role, manager, hash = passwordHash, stamp = NewStamp(), now = Now });
        return true;
    }

    /// <summary>Sets a new password, ends every session of the user and clears a lockout; false when there is no such user.</summary>
    public bool SetPassword(string name, string passwordHash) =>
        Execute(SetPasswordSql, new { key = Normalize(name), hash = passwordHash, stamp = NewStamp(), now = Now }) == 1;

    /// <summary>Disables a user and ends their sessions; false when there is no such enabled user.</summary>
    public bool Disable(string name) => Execute(DisableSql, new { key = Normalize(name), stamp = NewStamp(), now = Now }) == 1;

    /// <summary>Enables a disabled user; false when there is no such disabled user.</summary>
    public bool Enable(string name) => Execute(EnableSql, new { key = Normalize(name), now = Now }) == 1;

    /// <summary>Counts a failed sign-in; returns the count now.</summary>
    public long RecordFailure(string name)
    {
        var key = Normalize(name);
        using var connection = _store.Open();
        connection.Execute(FailedSql, new { key, now = Now });
        return connection.QuerySingleOrDefault<WebUser>(FindSql, new { key })?.FailedCount ?? 0;
    }

    /// <summary>Locks a user out until an instant and starts the failure count again.</summary>
    public void Lock(string name, DateTimeOffset until) => Execute(LockSql, new { key = Normalize(name), until = StoreTime.Format(until), now = Now });

    /// <summary>Records a successful sign-in: the failure count starts again.</summary>
    public void RecordSignIn(string name) => Execute(SignedInSql, new { key = Normalize(name), now = Now });

    private string Now => StoreTime.Now(_store.Time);

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private int Execute(string sql, object parameters)
    {
        using var connection = _store.Open();
        return connection.Execute(sql, parameters);
    }
}

using System.Security.Cryptography;
using CrmExtensions.Application.Internal;
using CrmExtensions.Store.Web;
using Microsoft.AspNetCore.Identity;

namespace CrmExtensions.Application.Users;

/// <summary>The roles of the web workspace.</summary>
internal static class Roles
{
    public const string Manager = "manager";
    public const string Director = "director";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Manager, Director, Admin];

    /// <summary>The role's stored name, or an error naming the three.</summary>
    /// <exception cref="InvalidRequestException">Not a role.</exception>
    public static string Parse(string role) => All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidRequestException($"--role takes manager, director or admin, not '{role}'");
}

/// <summary>How a sign-in went.</summary>
internal enum SignInOutcome
{
    /// <summary>Name and password match an enabled user that is not locked out.</summary>
    Success,

    /// <summary>No such user, or the wrong password (the page says the same for both).</summary>
    Failed,

    /// <summary>Too many failures in a row: locked out for a while.</summary>
    LockedOut,

    /// <summary>The user was disabled.</summary>
    Disabled,
}

/// <summary>The web workspace's users: add, list, disable, reset a password, and check a sign-in with lockout.</summary>
/// <remarks>Passwords are hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2 with HMAC-SHA512,
/// salted); a sign-in with an unknown name hashes too, so timing does not tell which names exist.</remarks>
internal sealed class UserService(CrmWorkspace workspace)
{
    /// <summary>The length of a generated password (base32-like, about 100 bits).</summary>
    public const int GeneratedLength = 20;

    /// <summary>Passwords shorter than this are refused.</summary>
    public const int MinimumLength = 10;

    private static readonly PasswordHasher<WebUser> Hasher = new();

    // A hash to verify against when the name is unknown: the same work as for a real user.
    private static readonly Lazy<string> Decoy = new(() => Hasher.HashPassword(null!, "decoy-" + Guid.NewGuid().ToString("N")));

    private WebUserStore Users => new(workspace.Store);

    /// <summary>Adds a user; with no password given, one is generated and returned (to be shown once).</summary>
    /// <exception cref="InvalidRequestException">The name is taken or blank, the role unknown, or the password too short.</exception>
    public Task<(WebUser User, string? Generated)> AddAsync(string name, string role, string? manager, string? password, CancellationToken cancellationToken) =>
        Sync.Run(() =>
        {
            var cleanName = CheckName(name);
            role = Roles.Parse(role);
            var generated = password is null ? Generate() : null;
            var secret = password ?? generated!;
            CheckPassword(secret);
            if (!Users.Add(cleanName, role, string.IsNullOrWhiteSpace(manager) ? cleanName : manager.Trim(), Hasher.HashPassword(null!, secret)))
            {
                throw new InvalidRequestException($"there is already a user '{cleanName}'; 'crmx users list' shows them");
            }

            return (Users.Find(cleanName)!, generated);
        }, cancellationToken);

    /// <summary>Adds a user with a generated password, or gives an existing one a new generated password; returns it.</summary>
    public async Task<string> AddOrResetAsync(string name, string role, string? manager, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            return (await AddAsync(name, role, manager, null, cancellationToken).ConfigureAwait(false)).Generated!;
        }

        Users.Enable(name);
        return (await ResetPasswordAsync(name, null, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Every user, by name.</summary>
    public Task<IReadOnlyList<WebUser>> ListAsync(CancellationToken cancellationToken) => Sync.Run(() => Users.List(), cancellationToken);

    /// <summary>The user with a name, or null.</summary>
    public Task<WebUser?> FindAsync(string name, CancellationToken cancellationToken) => Sync.Run(() => Users.Find(name), cancellationToken);

    /// <summary>Disables a user: their sessions end at their next request.</summary>
    /// <exception cref="InvalidRequestException">No such enabled user.</exception>
    public Task DisableAsync(string name, CancellationToken cancellationToken) => Sync.Run(() =>
        Users.Disable(name) ? true : throw new InvalidRequestException(Users.Find(name) is null ? $"there is no user '{name}'" : $"user '{name}' is disabled already"),
        cancellationToken);

    /// <summary>Enables a disabled user.</summary>
    /// <exception cref="InvalidRequestException">No such disabled user.</exception>
    public Task EnableAsync(string name, CancellationToken cancellationToken) => Sync.Run(() =>
        Users.Enable(name) ? true : throw new InvalidRequestException(Users.Find(name) is null ? $"there is no user '{name}'" : $"user '{name}' is enabled already"),
        cancellationToken);

    /// <summary>Sets a new password (generated when null, and returned), ends the user's sessions and clears a lockout.</summary>
    /// <exception cref="InvalidRequestException">No such user, or the password is too short.</exception>
    public Task<string?> ResetPasswordAsync(string name, string? password, CancellationToken cancellationToken) => Sync.Run(() =>
    {
        var generated = password is null ? Generate() : null;
        var secret = password ?? generated!;
        CheckPassword(secret);
        return Users.SetPassword(name, Hasher.HashPassword(null!, secret)) ? generated : throw new InvalidRequestException($"there is no user '{name}'");
    }, cancellationToken);

    /// <summary>Checks a sign-in, counting failures and locking the user out after <c>web.lockoutAttempts</c> in a row.</summary>
    public Task<(SignInOutcome Result, WebUser? User)> SignInAsync(string name, string password, CancellationToken cancellationToken) => Sync.Run(() =>
    {
        var options = workspace.Configuration.Web;
        var user = string.IsNullOrWhiteSpace(name) ? null : Users.Find(name);
        if (user is null)
        {
            Hasher.VerifyHashedPassword(null!, Decoy.Value, password ?? "");
            return (SignInOutcome.Failed, (WebUser?)null);
        }

        var now = workspace.Time.GetUtcNow();
        if (user.IsLockedAt(now))
        {
            return (SignInOutcome.LockedOut, user);
        }

        var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "");
        if (verdict == PasswordVerificationResult.Failed)
        {
            if (Users.RecordFailure(user.UserName) >= Math.Max(1, options.LockoutAttempts))
            {
                Users.Lock(user.UserName, now.AddMinutes(Math.Max(1, options.LockoutMinutes)));
                return (SignInOutcome.LockedOut, user);
            }

            return (SignInOutcome.Failed, user);
        }

        if (!user.Enabled)
        {
            return (SignInOutcome.Disabled, user);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            Users.SetPassword(user.UserName, Hasher.HashPassword(user, password!));
            user = Users.Find(user.UserName)!;
        }

        Users.RecordSignIn(user.UserName);
        return (SignInOutcome.Success, user);
    }, cancellationToken);

    private static string CheckName(string name)
    {
        var clean = name?.Trim() ?? "";
        if (clean.Length == 0 || clean.Length > 100 || clean.Any(char.IsControl))
        {
            throw new InvalidRequestException("a user name is 1 to 100 characters, without control characters");
        }

        return clean;
    }

    private static void CheckPassword(string password)
    {
        if (password.Length < MinimumLength)
        {
            throw new InvalidRequestException($"a password has at least {MinimumLength} characters");
        }
    }

    /// <summary>A random password without look-alike characters.</summary>
    public static string Generate()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, GeneratedLength);
    }
}

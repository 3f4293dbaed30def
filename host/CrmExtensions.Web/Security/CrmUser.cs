using System.Security.Claims;
using CrmExtensions.Store.Web;
using CrmExtensions.Application.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CrmExtensions.Web.Security;

/// <summary>The signed-in user as the pages see it, and the cookie's claims.</summary>
internal static class CrmUser
{
    public const string ManagerClaim = "crmx:manager";
    public const string StampClaim = "crmx:stamp";

    public static ClaimsPrincipal Principal(WebUser user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.UserName),
            new(ClaimTypes.Role, user.Role),
            new(StampClaim, user.SecurityStamp),
        };
        if (user.Manager is { } manager)
        {
            claims.Add(new Claim(ManagerClaim, manager));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The name the ledgers give this user as a manager, or null.</summary>
    public static string? Manager(this ClaimsPrincipal user) => user.FindFirst(ManagerClaim)?.Value;

    /// <summary>The manager name this user acts as: the ledgers' name for them, else their user name ("my" clients,
    /// deals they open, follow-ups they set).</summary>
    public static string ActsAs(this ClaimsPrincipal user) => user.Manager() ?? user.Identity!.Name!;

    /// <summary>Directors and admins see everything and decide for the company.</summary>
    public static bool IsDirector(this ClaimsPrincipal user) => user.IsInRole(Roles.Director) || user.IsInRole(Roles.Admin);

    /// <summary>Checks on every request that the user still exists, is enabled and has the password the cookie was issued under.</summary>
    /// <remarks>One indexed read per request; a disabled user or a reset password ends every session at once, on every node.</remarks>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirst(StampClaim)?.Value;
        var users = context.HttpContext.RequestServices.GetRequiredService<UserService>();
        var user = name is null ? null : await users.FindAsync(name, context.HttpContext.RequestAborted);
        if (user is null || !user.Enabled || user.SecurityStamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}

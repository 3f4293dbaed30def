using CrmExtensions.Web.Security;
using CrmExtensions.Application.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages;

/// <summary>Sign-in: name and password checked against the store's users, with lockout after repeated failures.</summary>
internal sealed class LoginModel(UserService users) : PageModel
{
    public string? Message { get; private set; }

    public string? UserName { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public void OnGet(string? returnUrl) => ReturnUrl = Local(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? userName, string? password, string? returnUrl)
    {
        ReturnUrl = Local(returnUrl);
        UserName = userName;
        var (result, user) = await users.SignInAsync(userName ?? "", password ?? "", HttpContext.RequestAborted);
        switch (result)
        {
            case SignInOutcome.Success:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, CrmUser.Principal(user!));
                return LocalRedirect(ReturnUrl);
            case SignInOutcome.LockedOut:
                Message = "Too many failed attempts: this user is locked out for a while. Try again later, or ask an administrator to reset the password.";
                break;
            case SignInOutcome.Disabled:
                Message = "This user has been disabled. Ask an administrator.";
                break;
            default:
                Message = "The user name or the password is not right.";
                break;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    // Only paths of this site: an open redirect would let a link sign someone in and send them elsewhere.
    private string Local(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : "/";
}

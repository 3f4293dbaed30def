using CrmExtensions.Application.Mail;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages;

/// <summary>The target of the signed links in marketing mail: GET says what will happen, POST records it.</summary>
/// <remarks>
/// Open to anyone and without an antiforgery token: the link's signature is the proof, and RFC 8058 one-click
/// (<c>List-Unsubscribe=One-Click</c> posted by the mail client) must work without a page or a cookie. A forged or
/// altered token is refused and changes nothing.
/// </remarks>
[IgnoreAntiforgeryToken]
internal sealed class UnsubscribeModel(MailService mail) : PageModel
{
    public UnsubscribeRequest? Ask { get; private set; }

    public string? Refusal { get; private set; }

    public bool Done { get; private set; }

    public string Token { get; private set; } = "";

    public IActionResult OnGet(string? t)
    {
        Token = t ?? "";
        Check();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? t)
    {
        Token = t ?? "";
        if (Check())
        {
            await mail.UnsubscribeAsync(Token, HttpContext.RequestAborted);
            Done = true;
        }

        // One-click clients read only the status.
        return Page();
    }

    private bool Check()
    {
        try
        {
            Ask = mail.VerifyUnsubscribe(Token);
            return true;
        }
        catch (CrmException ex)
        {
            Refusal = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }
    }
}

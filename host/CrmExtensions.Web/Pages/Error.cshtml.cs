using CrmExtensions.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages;

/// <summary>What went wrong, in one line: the product's own message for a request it could not answer, nothing internal otherwise.</summary>
[IgnoreAntiforgeryToken]
internal sealed class ErrorModel(ILogger<ErrorModel> logger) : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Message { get; private set; } = "";

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        var error = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = code ?? Response.StatusCode;
        switch (error)
        {
            case CrmException crm:
                Title = status == StatusCodes.Status400BadRequest ? "That request is not valid" : "Not found";
                Message = crm.Message;
                break;
            case null:
                Title = status switch
                {
                    StatusCodes.Status404NotFound => "Not found",
                    StatusCodes.Status403Forbidden => "Not allowed",
                    StatusCodes.Status400BadRequest => "That request is not valid",
                    _ => "Something went wrong",
                };
                Message = status switch
                {
                    StatusCodes.Status404NotFound => "There is no page at this address.",
                    StatusCodes.Status403Forbidden => "Your role does not open this page.",
                    StatusCodes.Status400BadRequest => "The form was sent without its security token or with a value the page does not take. Reload the page and try again.",
                    _ => "The server could not answer.",
                };
                break;
            default:
                logger.LogError(error, "The page {Path} failed", HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path);
                Message = "The server could not answer; the error was logged.";
                break;
        }
    }
}

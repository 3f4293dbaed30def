using CrmExtensions.Application.Plugins;
using CrmExtensions.Runtime.Workspace;
using Microsoft.AspNetCore.Mvc;

namespace CrmExtensions.Web.Pages.Plugins;

/// <summary>A plugin's own page (SDK 1.2 <c>IPluginPage</c>): its data call under budget, its template in the mail sandbox.</summary>
internal sealed class PageModel(PluginService plugins) : Microsoft.AspNetCore.Mvc.RazorPages.PageModel
{
    public PluginView? View { get; private set; }

    public async Task<IActionResult> OnGetAsync(string plugin, string name)
    {
        View = await plugins.PageAsync(plugin, name, HttpContext.RequestAborted);
        return View is null ? NotFound() : Page();
    }
}

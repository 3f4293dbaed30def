using CrmExtensions.Application.Plugins;
using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Workspace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Admin;

/// <summary>The plugins folder as <c>crmx plugins list</c> shows it: what loaded, what each adds, why any was refused; and the plugins' pages.</summary>
[Authorize(Policy = WebApp.DirectorsPolicy)]
internal sealed class PluginsModel(PluginService plugins) : PageModel
{
    public string Directory => plugins.Directory;

    public IReadOnlyList<PluginStatus> Plugins { get; private set; } = [];

    public IReadOnlyList<PluginPageInfo> Pages { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Plugins = await plugins.ListAsync(ct);
        Pages = await plugins.PagesAsync(ct);
    }
}

using System.Globalization;
using CrmExtensions.Application.Plugins;
using Microsoft.AspNetCore.Mvc;

namespace CrmExtensions.Web.Components;

/// <summary>The plugins' panels on a client card (SDK 1.2 <c>IClientPanel</c>), each rendered under its plugin's call budget.</summary>
/// <remarks>
/// A panel's HTML is its plugin's template with every value escaped; a failed panel shows its one-line problem. Public
/// because MVC discovers only public view components; the core's services are internal, so it asks the request for them.
/// </remarks>
public sealed class PluginPanelsViewComponent : ViewComponent
{
    /// <summary>Renders the panels of one client.</summary>
    public async Task<IViewComponentResult> InvokeAsync(long clientId)
    {
        var plugins = HttpContext.RequestServices.GetRequiredService<PluginService>();
        return View(await plugins.ClientPanelsAsync(clientId.ToString(CultureInfo.InvariantCulture), HttpContext.RequestAborted));
    }
}

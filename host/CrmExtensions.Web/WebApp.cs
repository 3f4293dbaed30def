using CrmExtensions.Application;
using CrmExtensions.Store;
using CrmExtensions.Store.Web;
using CrmExtensions.Web.Security;
using CrmExtensions.Application.Users;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace CrmExtensions.Web;

/// <summary>Composes the web workspace: the application core, sign-in, the pages and the static files, on Kestrel.</summary>
internal static class WebApp
{
    /// <summary>Where the embedded CSS and script are served.</summary>
    public const string AssetsPath = "/assets";

    /// <summary>The policy of pages only directors and admins may open.</summary>
    public const string DirectorsPolicy = "directors";

    /// <summary>Builds the web application for a workspace, listening on <paramref name="urls"/> (the configuration's when null).</summary>
    /// <exception cref="CrmException">The configuration is missing or not valid.</exception>
    public static WebApplication Build(WorkspaceOptions options, string? urls = null, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = Application.Configuration.CrmConfiguration.Load(options.ConfigPath, options.WorkingDirectory, options.Environment);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(WebApp).Assembly.GetName().Name,
            ContentRootPath = options.WorkingDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.AddServerHeader = false);
        builder.WebHost.UseUrls((urls ?? configuration.Web.Urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.Services.AddRoutingCore();

        var services = builder.Services;
        services.AddCrmApplication(options, configuration);
        services.AddSingleton<Display>();
        services.AddSingleton<ClientAccess>();
        // Cyrillic as characters, not &#x…; entities (six times the bytes): markup characters are still encoded.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/Login");
            pages.Conventions.AllowAnonymousToPage("/Unsubscribe");
            pages.Conventions.AllowAnonymousToPage("/Error");
            pages.Conventions.AuthorizeFolder("/Review", DirectorsPolicy);
        }).AddApplicationPart(typeof(WebApp).Assembly);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "crmx.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__af";
        });
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.Cookie.Name = "crmx.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(Math.Max(1, configuration.Web.SessionHours));
            o.Events.OnValidatePrincipal = CrmUser.ValidateAsync;
            // A signed-in user whose role does not open a page gets 403 (the error page says so), not a redirect.
            o.Events.OnRedirectToAccessDenied = c =>
            {
                c.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(DirectorsPolicy, p => p.RequireRole(Roles.Director, Roles.Admin));
        services.AddDataProtection().SetApplicationName("CrmExtensions.Web");
        // The key ring is kept in the store unencrypted on purpose (see StoreXmlRepository); say so once in the docs, not on every start.
        // Kestrel's own failure to bind is reported by 'crmx serve' as one line.
        services.AddLogging(l => l.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error).AddFilter("Microsoft.Extensions.Hosting", LogLevel.None));
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new StoreXmlRepository(new WebKeyRing(sp.GetRequiredService<CrmWorkspace>().Store))));
        configure?.Invoke(services);

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            StatusCodeSelector = ex => ex switch
            {
                InvalidRequestException or FormatException => StatusCodes.Status400BadRequest,
                CrmException => StatusCodes.Status404NotFound,
                OperationCanceledException => StatusCodes.Status499ClientClosedRequest,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePagesWithReExecute("/error", "?code={0}");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new ManifestEmbeddedFileProvider(typeof(WebApp).Assembly, "wwwroot"),
            RequestPath = AssetsPath,
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        // Mails sent by earlier versions link to /u/TOKEN.
        app.MapGet("/u/{token}", (string token) => Results.Redirect("/unsubscribe?t=" + Uri.EscapeDataString(token))).AllowAnonymous();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapRazorPages();
        return app;
    }
}

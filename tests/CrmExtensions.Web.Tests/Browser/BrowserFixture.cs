using Microsoft.Playwright;

namespace CrmExtensions.Web.Tests.Browser;

/// <summary>A workspace served by Kestrel and a chromium for one fixture's tests; a page signed in as a user.</summary>
public abstract class BrowserFixture
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private protected WebWorkspace Web { get; private set; } = null!;

    private protected IBrowser Browser => _browser!;

    /// <summary>Starts the fixture's workspace; the default is <see cref="WebWorkspace.StartAsync"/> as it is.</summary>
    private protected virtual Task<WebWorkspace> StartWorkspaceAsync() => WebWorkspace.StartAsync();

    [OneTimeSetUp]
    public async Task Start()
    {
        Web = await StartWorkspaceAsync();
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Web is not null)
        {
            await Web.DisposeAsync();
        }
    }

    /// <summary>A new browser context on the server, and a page in it signed in as <paramref name="user"/> on "my day".</summary>
    private protected async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(string user)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Web.BaseUrl, Locale = "ru-RU" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(WebWorkspace.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My day" })).ToBeVisibleAsync();
        return (context, page);
    }
}

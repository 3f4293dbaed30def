using System.Globalization;
using CrmExtensions.Application;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Users;
using CrmExtensions.Host.Commands;
using CrmExtensions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CrmExtensions.Web.Tests.Browser;

/// <summary>Every page of the web workspace on the demo data, screenshotted at a laptop's and a phone's width, and checked
/// to fit: no sideways scrolling, nothing of the heading cut off.</summary>
/// <remarks>Screenshots go to <c>CRMX_WEB_SCREENSHOTS</c> (<c>scripts/test.sh</c> keeps them in <c>artifacts/web-screenshots</c>)
/// or, without it, to the test's work folder.</remarks>
[TestFixture]
[NonParallelizable]
public sealed class PageScreenshotTests
{
    private readonly TempDirectory _folder = new();
    private WebApplication _app = null!;
    private string _url = "";
    private string _password = "";
    private long _client;
    private string _unsubscribe = "";
    private long _overdue;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private static string Output => Environment.GetEnvironmentVariable("CRMX_WEB_SCREENSHOTS") is { Length: > 0 } dir
        ? dir
        : Path.Combine(TestContext.CurrentContext.WorkDirectory, "web-screenshots");

    [OneTimeSetUp]
    public async Task Start()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CrmxApp.RunAsync(["demo", "--dir", _folder.Path, "--counterparties", "400"],
            new CommandContext { Out = output, Error = error, WorkingDirectory = _folder.Path });
        Assert.That(code, Is.Zero, error.ToString());
        await AddReviewPairAsync();
        var options = new WorkspaceOptions { WorkingDirectory = _folder.Path };
        await using (var core = CrmApplication.Build(options))
        {
            var manager = await core.GetRequiredService<ClientService>().BusiestManagerAsync(CancellationToken.None);
            _password = await core.GetRequiredService<UserService>().AddOrResetAsync("demo", Roles.Director, manager, CancellationToken.None);
            var store = core.GetRequiredService<CrmWorkspace>().Store;
            using var connection = store.Open();
            using var command = connection.CreateCommand();
            // The client with the most ledger rows: the fullest card.
            command.CommandText = "SELECT client_id FROM clients WHERE retired_at IS NULL ORDER BY members DESC, client_id LIMIT 1";
            _client = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            _overdue = (await core.GetRequiredService<ClientService>().DirectoryAsync(new Store.Clients.ClientListFilter(Overdue: true), null, 1, CancellationToken.None)).Rows[0].ClientId;
            var mail = core.GetRequiredService<CrmWorkspace>().Configuration.Mail.Unsubscribe!;
            _unsubscribe = new Mail.Consent.UnsubscribeLinks(mail.BaseUrl, mail.Secret, TimeProvider.System).Token("reader@example.com", _client);
        }

        _app = WebApp.Build(options, "http://127.0.0.1:0");
        await _app.StartAsync();
        _url = WebServer.Addresses(_app)[0];
        Directory.CreateDirectory(Output);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [TestCase(1280, 800)]
    [TestCase(390, 844)]
    public async Task EveryPage_FitsTheScreen(int width, int height)
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _url, ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "ru-RU", IsMobile = width < 600,
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Response += (_, r) => { if (r.Status >= 500) { problems.Add($"{r.Status} {r.Url}"); } };

        await Shot(page, "login", "/login", width, problems);
        await page.GetByLabel("User name").FillAsync("demo");
        await page.GetByLabel("Password").FillAsync(_password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My day" })).ToBeVisibleAsync();

        await Shot(page, "my-day", "/", width, problems);
        await Shot(page, "my-day-everyone", "/?who=all", width, problems);
        await Shot(page, "clients", "/clients?who=all", width, problems);
        await Shot(page, "clients-search", "/clients?who=all&q=%D0%BE%D0%BE%D0%BE&sort=name", width, problems);
        await Shot(page, "clients-segment", "/clients?who=all&segment=best-clients", width, problems);
        await Shot(page, "client-card", $"/clients/{_client}", width, problems);
        await Shot(page, "client-links", $"/clients/{_client}/links", width, problems);
        await Shot(page, "unsubscribe", "/unsubscribe?t=" + _unsubscribe, width, problems);
        await Shot(page, "not-found", "/clients/999999999", width, problems);
        await Shot(page, "deals", "/deals", width, problems);
        // A move the demo's overdue client cannot make: the guard's refusal on the card.
        await page.Locator("article.deal form.moves button").First.ClickAsync();
        await Assertions.Expect(page.Locator("article.deal [role=alert]")).ToBeVisibleAsync();
        await Check(page, "deals-refused", width, problems);
        await Shot(page, "review", "/review", width, problems);
        await Assertions.Expect(page.Locator("#pair")).ToContainTextAsync("ООО Вектор-Плюс");
        await Shot(page, "review-decisions", "/review/decisions", width, problems);
        await Shot(page, "reports", "/reports", width, problems);
        foreach (var report in new[] { "pareto", "aging", "managers", "dynamics", "campaign" })
        {
            await Shot(page, "report-" + report, "/reports/" + report, width, problems);
        }

        // The demo's plugins add a report of their own: it is found and drawn like the built-in ones.
        await Shot(page, "report-plugin-dunning", "/reports/CrmExtensions.Receivables/dunning", width, problems);
        await Shot(page, "report-pareto-segment", "/reports/pareto?segment=best-clients", width, problems);

        await Shot(page, "campaigns", "/campaigns", width, problems);
        await Shot(page, "campaign-preview", $"/campaigns/statement?client={_overdue}", width, problems);
        await Shot(page, "campaign-dry-run", "/campaigns/statement?dry=true&overdue=yes", width, problems);
        // The demo stores a behaviour segment: the page offers it, and a dry run to it shows the control group kept back.
        await Shot(page, "campaign-dry-run-segment", "/campaigns/statement?dry=true&behaviour=best-clients", width, problems);
        await Shot(page, "plugins", "/admin/plugins", width, problems);
        Assert.That(problems, Is.Empty);
    }

    // The demo's ledgers have no pair close enough to need people; two firms with one phone and other INNs are, and a
    // decision fills the decisions page.
    private async Task AddReviewPairAsync()
    {
        string other = "";
        foreach (var (file, id, name, inn, mail) in new[]
        {
            ("msk.db", "Д-901", "ООО Вектор-Плюс", "7710140679", "info@vector-plus.example"),
            ("spb.db", "Д-902", "ООО Вектор Плюс", "7702070139", "office@vectorplus-samara.example"),
        })
        {
            using var ledger = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder.Path, file)};Pooling=False");
            ledger.Open();
            using var command = ledger.CreateCommand();
            command.CommandText = "SELECT MIN(\"Код\") FROM \"Справочник Контрагенты\"";
            other = file == "msk.db" ? (string)command.ExecuteScalar()! : other;
            // Changed after every demo row, so the next sync reads them.
            command.CommandText = "INSERT INTO \"Справочник Контрагенты\" (\"Код\", \"Наименование\", \"ИНН\", \"Город\", \"Телефон\", \"ЭлПочта\", \"Изменено\") " +
                "VALUES ($id, $name, $inn, 'Самара', '8 846 200-00-01', $mail, '2099-01-01T00:00:00')";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$inn", inn);
            command.Parameters.AddWithValue("$mail", mail);
            command.ExecuteNonQuery();
        }

        foreach (var args in new[] { new[] { "sync" }, ["unify"], ["clients", "never-link", "msk:Д-901", "msk:" + other, "--no-unify", "--note", "not the same firm"] })
        {
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            using var error = new StringWriter(CultureInfo.InvariantCulture);
            var code = await CrmxApp.RunAsync(args, new CommandContext { Out = output, Error = error, WorkingDirectory = _folder.Path });
            Assert.That(code, Is.Zero, $"crmx {string.Join(' ', args)}: {error}");
        }
    }

    private static async Task Shot(IPage page, string name, string path, int width, List<string> problems)
    {
        await page.GotoAsync(path);
        await Check(page, name, width, problems);
    }

    // The page as it stands: fits the width, screenshotted.
    private static async Task Check(IPage page, string name, int width, List<string> problems)
    {
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        if (overflow > 1)
        {
            problems.Add($"{new Uri(page.Url).PathAndQuery} at {width} px scrolls sideways by {overflow} px");
        }

        // The first screen as a person sees it, and the whole page.
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Output, $"{name}-{width}-screen.png") });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Output, $"{name}-{width}.png"), FullPage = true });
    }
}

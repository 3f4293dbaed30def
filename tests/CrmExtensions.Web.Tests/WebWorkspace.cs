using System.Globalization;
using System.Net;
using CrmExtensions.Application;
using CrmExtensions.Application.Users;
using CrmExtensions.Host.Commands;
using CrmExtensions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Web.Tests;

/// <summary>
/// Two small regional ledgers of one supplier, synced and unified, served by a real Kestrel on a free loopback port.
/// </summary>
/// <remarks>
/// ООО «Ромашка» has its head office in ledger <c>msk</c> (INN 7707083893, KPP 770701001) and its Saint Petersburg
/// branch in ledger <c>spb</c> (same INN, KPP 780202001): unification makes them one client with a branch. The branch
/// has invoice СПБ-9 unpaid and overdue; the head has a paid one. A counterparty in <c>msk</c> is named
/// <c>&lt;script&gt;alert(1)&lt;/script&gt;</c>. Manager «Петров Пётр» (user <c>petrov</c>) has every client but
/// «Вектор»; a contact of «Ромашка» has a birthday today.
/// </remarks>
internal sealed class WebWorkspace : IAsyncDisposable
{
    public const string Password = "correct-horse-7";
    public const string Manager = "petrov";
    public const string Director = "boss";
    public const string RomashkaInn = "7707083893";
    public const string UnsubscribeSecret = "test-secret-for-unsubscribe-links";

    private readonly TempDirectory _folder = new();
    private WebApplication? _app;

    /// <summary>The shipped plugins of the sales pipeline and its Receivables guard, for <see cref="StartAsync"/>.</summary>
    public static readonly string[] SalesPlugins = ["CrmExtensions.Plugins.Sales", "CrmExtensions.Plugins.Receivables"];

    private WebWorkspace(string? postgresStore, bool managersSeeOnlyOwnClients, string? pluginSettings = null)
    {
        PluginSettings = pluginSettings;
        PostgresStore = postgresStore;
        ManagersSeeOnlyOwnClients = managersSeeOnlyOwnClients;
    }

    public bool ManagersSeeOnlyOwnClients { get; }

    /// <summary>Gets the <c>plugins.settings</c> object of crmx.json, as JSON, or null for none.</summary>
    public string? PluginSettings { get; }

    public string Folder => _folder.Path;

    public string? PostgresStore { get; }

    /// <summary>The address the server listens on, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public IServiceProvider Services => _app!.Services;

    public WorkspaceOptions Options => new() { WorkingDirectory = Folder, LogWriter = TestContext.Progress };

    /// <summary>Builds the ledgers, syncs and unifies them, adds the users, and starts one server; with the shipped
    /// <paramref name="plugins"/> (as built beside crmx) in its plugins folder.</summary>
    /// <param name="pluginSettings">The <c>plugins.settings</c> object of crmx.json, as JSON.</param>
    public static async Task<WebWorkspace> StartAsync(string? postgresStore = null, bool managersSeeOnlyOwnClients = false, IReadOnlyList<string>? plugins = null,
        string? pluginSettings = null)
    {
        var workspace = new WebWorkspace(postgresStore, managersSeeOnlyOwnClients, pluginSettings);
        workspace.Write();
        foreach (var plugin in plugins ?? [])
        {
            TestFiles.CopyDirectory(Path.Combine(AppContext.BaseDirectory, "plugins", plugin), Path.Combine(workspace.Folder, "plugins", plugin));
        }

        await workspace.CrmxAsync("sync");
        await workspace.CrmxAsync("unify");
        var users = workspace.Services0.GetRequiredService<UserService>();
        await users.AddAsync(Manager, "manager", "Петров Пётр", Password, CancellationToken.None);
        await users.AddAsync(Director, "director", null, Password, CancellationToken.None);
        workspace.BaseUrl = await workspace.StartServerAsync();
        return workspace;
    }

    /// <summary>Starts one more server on the same folder and store (a second web node); returns its address.</summary>
    public async Task<(WebApplication App, string Url)> StartNodeAsync()
    {
        var app = WebApp.Build(Options, "http://127.0.0.1:0");
        await app.StartAsync();
        return (app, WebServer.Addresses(app)[0]);
    }

    private ServiceProvider? _services0;

    // The core without a server, for setting up (users) before the server starts.
    private ServiceProvider Services0 => _services0 ??= CrmApplication.Build(Options);

    private async Task<string> StartServerAsync()
    {
        _app = WebApp.Build(Options, "http://127.0.0.1:0");
        await _app.StartAsync();
        return WebServer.Addresses(_app)[0];
    }

    /// <summary>Runs a crmx command in-process in the folder; it must succeed.</summary>
    public async Task<string> CrmxAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CrmxApp.RunAsync(args, new CommandContext { Out = output, Error = error, WorkingDirectory = Folder });
        Assert.That(code, Is.Zero, $"crmx {string.Join(' ', args)}: {error}");
        return output.ToString();
    }

    /// <summary>Reads one value from the store (SQLite or PostgreSQL).</summary>
    public T? Scalar<T>(string sql)
    {
        var store = Services.GetRequiredService<CrmWorkspace>().Store;
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>A client that signs in as <paramref name="user"/> (no automatic redirects, cookies kept).</summary>
    public async Task<HttpClient> SignedInClientAsync(string user, string? baseUrl = null, CookieContainer? cookies = null)
    {
        var client = Client(baseUrl, cookies);
        var token = await AntiforgeryTokenAsync(client, "/login");
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = user, ["password"] = Password, ["returnUrl"] = "/", ["__af"] = token,
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), $"signing in as {user}");
        return client;
    }

    /// <summary>An HTTP client without automatic redirects, with its own cookie jar unless one is given.</summary>
    public HttpClient Client(string? baseUrl = null, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true })
        {
            BaseAddress = new Uri(baseUrl ?? BaseUrl),
        };

    /// <summary>The antiforgery field of the first form on a page.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        return document.QuerySelector("input[name=__af]")?.GetAttribute("value")
            ?? throw new AssertionException($"{path} has no antiforgery field");
    }

    private void Write()
    {
        var today = DateOnly.FromDateTime(DateTime.Now);
        Ledger("msk.db", $"""
            CREATE TABLE cp (id TEXT PRIMARY KEY, name TEXT NOT NULL, inn TEXT, kpp TEXT, city TEXT, manager TEXT);
            CREATE TABLE inv (id TEXT PRIMARY KEY, cp TEXT NOT NULL, number TEXT, issued TEXT NOT NULL, due TEXT, amount REAL NOT NULL, paid REAL);
            CREATE TABLE contact (id TEXT PRIMARY KEY, cp TEXT NOT NULL, name TEXT NOT NULL, position TEXT, phone TEXT, email TEXT, birthday TEXT);
            INSERT INTO cp VALUES ('1', 'ООО «Ромашка»', '{RomashkaInn}', '770701001', 'Москва', 'Петров Пётр'),
                                  ('2', 'АО «Вектор»', '7736050003', '773601001', 'Москва', 'Сидоров Сидор'),
                                  ('3', '<script>alert(1)</script>', '7702070139', '770201001', 'Москва', 'Петров Пётр'),
                                  ('4', 'ООО «Ёлка»', '7710140679', '771001001', 'Москва', 'Петров Пётр');
            INSERT INTO inv VALUES ('M1', '1', 'МСК-1', '{today.AddMonths(-3):yyyy-MM-dd}', '{today.AddMonths(-2):yyyy-MM-dd}', 5000, 5000),
                                   ('M2', '2', 'МСК-2', '{today.AddMonths(-1):yyyy-MM-dd}', '{today.AddMonths(1):yyyy-MM-dd}', 700, 0),
                                   ('M3', '3', 'МСК-3', '{today.AddMonths(-1):yyyy-MM-dd}', '{today.AddMonths(1):yyyy-MM-dd}', 10, 0);
            INSERT INTO contact VALUES ('K1', '1', 'Иванов Иван Иванович', 'директор', '+7 495 123-45-67', 'ivanov@romashka.example', '1980-{today:MM-dd}'),
                                       ('K2', '2', 'Сидорова Анна', 'бухгалтер', NULL, 'anna@vector.example', NULL);
            """);
        Ledger("spb.db", $"""
            CREATE TABLE cp (id TEXT PRIMARY KEY, name TEXT NOT NULL, inn TEXT, kpp TEXT, city TEXT, manager TEXT);
            CREATE TABLE inv (id TEXT PRIMARY KEY, cp TEXT NOT NULL, number TEXT, issued TEXT NOT NULL, due TEXT, amount REAL NOT NULL, paid REAL);
            CREATE TABLE contact (id TEXT PRIMARY KEY, cp TEXT NOT NULL, name TEXT NOT NULL, position TEXT, phone TEXT, email TEXT, birthday TEXT);
            INSERT INTO cp VALUES ('7', 'ООО «Ромашка» (Санкт-Петербургский филиал)', '{RomashkaInn}', '780202001', 'Санкт-Петербург', 'Петров Пётр');
            INSERT INTO inv VALUES ('S9', '7', 'СПБ-9', '{today.AddMonths(-4):yyyy-MM-dd}', '{today.AddMonths(-3):yyyy-MM-dd}', 120000.5, 0);
            """);
        var map = """
            {
              "counterparties": { "query": "SELECT id AS ledger_id, name, inn AS tax_id, kpp AS branch_code, city, manager FROM cp" },
              "invoices": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, number, issued AS issued_on, due AS due_on, amount, paid AS paid_amount FROM inv" },
              "contacts": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, name AS full_name, position, phone, email, birthday FROM contact" }
            }
            """;
        File.WriteAllText(Path.Combine(Folder, "ledger.map.json"), map);
        var store = PostgresStore is null
            ? """{ "provider": "sqlite", "connectionString": "Data Source=crm.db" }"""
            : $$"""{ "provider": "postgresql", "connectionString": "{{PostgresStore}}" }""";
        File.WriteAllText(Path.Combine(Folder, "crmx.json"), $$"""
            {
              "ledgers": [
                { "name": "msk", "provider": "sqlite", "connectionString": "Data Source=msk.db", "mapping": "ledger.map.json" },
                { "name": "spb", "provider": "sqlite", "connectionString": "Data Source=spb.db", "mapping": "ledger.map.json" }
              ],
              "store": {{store}},
              "plugins": { "directory": "plugins"{{(PluginSettings is null ? "" : ", \"settings\": " + PluginSettings)}} },
              "mail": { "pickupDirectory": "outbox", "from": "crm@example.com",
                        "unsubscribe": { "baseUrl": "https://crm.example.com", "secret": "{{UnsubscribeSecret}}" } },
              "reminders": { "timeZone": "{{TimeZoneInfo.Local.Id}}" },
              "web": { "lockoutAttempts": 3, "managersSeeOnlyOwnClients": {{(ManagersSeeOnlyOwnClients ? "true" : "false")}} }
            }
            """);
    }

    /// <summary>Runs SQL on one of the ledger files (<c>msk.db</c>, <c>spb.db</c>), as the accounting system would write it.</summary>
    public void Ledger(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, file)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_services0 is not null)
        {
            await _services0.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

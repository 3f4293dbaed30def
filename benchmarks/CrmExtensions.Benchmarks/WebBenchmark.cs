using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CrmExtensions.Application;
using CrmExtensions.Application.Users;
using CrmExtensions.Reports.Dossier;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Web;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The web workspace over HTTP on a real Kestrel: the client search, the filtered list and the client card, each
/// request beside the bare SQL of the same question on the same store, alternating, so both see the same load.
/// </summary>
internal static partial class WebBenchmark
{
    private const string UserName = "bench.director";
    private const int ListPage = CrmExtensions.Web.Pages.Clients.IndexModel.PageSize;
    private const int TimelinePage = CrmExtensions.Web.Pages.Clients.CardModel.PageSize;

    /// <summary>How long each kind is asked before it is measured.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    public static int Run(int counterparties, int runs, int requests, string? only, string work, string crmx) =>
        RunAsync(counterparties, runs, requests, only, work, crmx).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(int counterparties, int runs, int requests, string? only, string work, string crmx)
    {
        var store = ReportBenchmark.Prepare(counterparties, work, crmx);
        var big = ReportBenchmark.FiftyEntityClient(store);
        var members = DirectoryBenchmark.SearchTerms(store);
        List<long> cards;
        using (var connection = store.Open())
        {
            // Clients of every size: several of the unified ones (more than one member), single ones, and the 50-entity one.
            var unified = connection.Query<long>("SELECT client_id FROM clients WHERE retired_at IS NULL AND members > 1 AND client_id % 101 = 7 ORDER BY client_id LIMIT 9").AsList();
            var single = connection.Query<long>("SELECT client_id FROM clients WHERE retired_at IS NULL AND members = 1 AND client_id % 101 = 7 ORDER BY client_id LIMIT 10").AsList();
            cards = [big, .. unified, .. single];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store: {connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties"):N0} counterparties, {connection.ExecuteScalar<long>("SELECT COUNT(*) FROM clients WHERE retired_at IS NULL"):N0} clients; " +
                $"cards of {unified.Count} unified and {single.Count} single clients and client {big} ({connection.ExecuteScalar<long>("SELECT members FROM clients WHERE client_id = @big", new { big })} members)"));
        }

        var options = new WorkspaceOptions { WorkingDirectory = ReportBenchmark.Folder(counterparties, work) };
        await using var app = WebApp.Build(options, "http://127.0.0.1:0");
        var password = "bench-" + Guid.NewGuid().ToString("N");
        var users = app.Services.GetRequiredService<UserService>();
        if (await users.FindAsync(UserName, CancellationToken.None) is null)
        {
            await users.AddAsync(UserName, Roles.Director, null, password, CancellationToken.None);
        }
        else
        {
            await users.ResetPasswordAsync(UserName, password, CancellationToken.None);
        }

        await app.StartAsync();
        try
        {
            var address = new Uri(WebServer.Addresses(app)[0]);
            using var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
            using var http = new HttpClient(handler) { BaseAddress = address };
            await SignInAsync(http, password);
            Console.WriteLine($"Kestrel on {address}, signed in as {UserName}");

            var bare = new Bare(store);
            var today = DateOnly.FromDateTime(store.Time.GetLocalNow().DateTime);
            var kinds = new Kind[]
            {
                new("search: part of a name", i => "/clients?who=all&q=" + Uri.EscapeDataString(DirectoryBenchmark.NamePart(members[i % members.Count].Name)),
                    i => bare.Search(DirectoryBenchmark.NamePart(members[i % members.Count].Name))),
                new("search: an INN", i => "/clients?who=all&q=" + members[i % members.Count].Inn,
                    i => bare.Search(members[i % members.Count].Inn!)),
                new("list: class A, overdue", _ => "/clients?who=all&abc=A&overdue=yes", _ => bare.ClassAOverdue()),
                new("card: clients of every size", i => $"/clients/{cards[i % cards.Count]}", i => bare.Card(cards[i % cards.Count], today)),
                new("card: the 50-entity client", _ => $"/clients/{big}", _ => bare.Card(big, today)),
            }.Where(k => only is null || k.Name.Contains(only, StringComparison.Ordinal)).ToList();

            // Warm-up: the first list computes the directory (as the first page after a sync does), and a check that the pages
            // answer what was asked; then every kind, below.
            var clock = Stopwatch.StartNew();
            await GetAsync(http, "/clients?who=all");
            Console.WriteLine($"first list (computes the directory): {clock.Elapsed.TotalSeconds:0.0} s");
            var found = await GetAsync(http, "/clients?who=all&q=" + members[0].Inn);
            if (!found.Contains($"/clients/{members[0].ClientId}\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"searching the INN {members[0].Inn} did not list client {members[0].ClientId}");
            }

            // A running 'crmx serve' has long compiled its hot code again at the JIT's second tier; twenty requests left
            // most of the request's path in its first-tier code, with the JIT's background work competing for the cores
            // (the list's HTTP p50 was 1.4 ms, and 0.7 ms once warm). So each kind is asked for WarmUp first.
            foreach (var kind in kinds)
            {
                var warming = Stopwatch.StartNew();
                for (var i = 0; i < 20 || warming.Elapsed < WarmUp; i++)
                {
                    await GetAsync(http, kind.Path(i));
                    kind.Bare(i);
                }
            }

            var results = kinds.ToDictionary(k => k.Name, _ => new List<(double P50, double P95, double BareP50, double BareP95)>());
            for (var run = 1; run <= runs; run++)
            {
                var line = new List<string>();
                foreach (var kind in kinds)
                {
                    var web = new List<double>(requests);
                    var baseline = new List<double>(requests);
                    for (var i = 0; i < requests; i++)
                    {
                        var n = i + (run * requests);
                        var bareClock = Stopwatch.StartNew();
                        kind.Bare(n);
                        baseline.Add(bareClock.Elapsed.TotalMilliseconds);
                        var path = kind.Path(n);
                        var webClock = Stopwatch.StartNew();
                        await GetAsync(http, path);
                        web.Add(webClock.Elapsed.TotalMilliseconds);
                    }

                    results[kind.Name].Add((Percentile(web, 0.50), Percentile(web, 0.95), Percentile(baseline, 0.50), Percentile(baseline, 0.95)));
                    var r = results[kind.Name][^1];
                    line.Add($"{kind.Name} p50 {r.P50:0.0} / p95 {r.P95:0.0} ms (bare {r.BareP50:0.0} / {r.BareP95:0.0})");
                }

                Console.WriteLine($"run {run}: " + string.Join("; ", line));
            }

            Console.WriteLine();
            Console.WriteLine($"median of {runs} runs ({requests} requests of each kind per run), {counterparties:N0} counterparties, {Environment.ProcessorCount} cores, load average {ReportBenchmark.LoadAverage()}:");
            Console.WriteLine($"  {"",-30} {"HTTP p50",10} {"p95",8}   {"bare p50",10} {"p95",8}   ratio p50  p95   targets: p95, at most 3× bare");
            foreach (var kind in kinds)
            {
                var r = results[kind.Name];
                var (p50, p95, bareP50, bareP95) = (Bench.Median(r.Select(x => x.P50)), Bench.Median(r.Select(x => x.P95)), Bench.Median(r.Select(x => x.BareP50)), Bench.Median(r.Select(x => x.BareP95)));
                var target = kind.Name.StartsWith("card", StringComparison.Ordinal) ? 50 : 100;
                Console.WriteLine($"  {kind.Name,-30} {p50,7:0.0} ms {p95,5:0.0} ms   {bareP50,7:0.0} ms {bareP95,5:0.0} ms   {p50 / bareP50,6:0.0}× {p95 / bareP95,4:0.0}×   " +
                    $"p95 ≤ {target} ms {(p95 <= target ? "met" : "MISSED")}, ≤ 3× {(p95 <= 3 * bareP95 ? "met" : "MISSED")}");
            }
        }
        finally
        {
            await app.StopAsync();
        }

        return 0;
    }

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * fraction) - 1)];
    }

    /// <summary>Signs in through the form, as a browser does: the page's antiforgery token with its cookie, then the POST.</summary>
    private static async Task SignInAsync(HttpClient http, string password)
    {
        var form = await GetAsync(http, "/login");
        var token = AntiforgeryField().Match(form) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("the sign-in page has no antiforgery field");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = UserName,
            ["password"] = password,
            ["returnUrl"] = "/",
            ["__af"] = token,
        });
        using var response = await http.PostAsync(new Uri("/login", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"signing in answered {(int)response.StatusCode}, not a redirect");
        }
    }

    /// <summary>GETs a page and reads it whole; anything but 200 is an error.</summary>
    private static async Task<string> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK ? body
            : throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
    }

    [GeneratedRegex("<input[^>]*name=\"__af\"[^>]*value=\"([^\"]*)\"|<input[^>]*value=\"([^\"]*)\"[^>]*name=\"__af\"")]
    private static partial Regex AntiforgeryField();

    private sealed record Kind(string Name, Func<int, string> Path, Action<int> Bare);

    /// <summary>
    /// The same questions asked of the store directly: the directory's own statement for a search or filter, and for a
    /// card the statements of what it shows (the dossier's, the timeline's first page's, tags, notes, recommendations),
    /// each on a fresh pooled connection, every row read.
    /// </summary>
    private sealed class Bare(CrmStore store)
    {
        private readonly string _classAOverdue = store.Dialect.Top(ClientDirectory.SelectSql + " WHERE d.abc_class = @abc AND d.overdue > 0" + ClientDirectory.RevenueOrderBy, ListPage + 1);

        // What the card shows: the dossier, the client's tags and unification notes, its recommendations and the purchase
        // lines its regular products due are reckoned from, and the timeline's first page (its statements come three per
        // kind: the first page's, then two with a cursor).
        private readonly List<string> _card = [.. DossierReader.Statements(store.Dialect), ClientStore.TagsSql, ClientStore.IssuesSql,
            CrmExtensions.Store.Recommendations.ProductRecommendations.ForClientSql,
            CrmExtensions.Store.Recommendations.RecommendationWriter.PurchasesSql + " AND i.client_id = @clientId",
            .. TimelineReader.Statements(store.Dialect).Where((_, i) => i % 3 == 0).Select(s => Take(s, TimelinePage + 1))];

        // The directory's choice too: its match count, then the index's candidates or the list walked in order.
        public void Search(string text)
        {
            using var connection = store.Open();
            var parameters = new DynamicParameters();
            var condition = ClientDirectory.SearchCondition(store, connection, SearchText.Term(text), ListPage + 1, parameters);
            Read(connection.Query(store.Dialect.Top(ClientDirectory.SelectSql + " WHERE " + condition + ClientDirectory.RevenueOrderBy, ListPage + 1), parameters));
        }

        public void ClassAOverdue()
        {
            using var connection = store.Open();
            Read(connection.Query(_classAOverdue, new { abc = "A" }));
        }

        public void Card(long id, DateOnly today)
        {
            var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            using var connection = store.Open();
            foreach (var sql in _card)
            {
                Read(connection.Query(sql, new { id, clientId = id, asOf = day, today = day }));
            }
        }

        // The timeline's statements are written for pages of ten; the card reads pages of 25 (and one more to know of a next).
        private static string Take(string sql, int rows) =>
            sql.EndsWith(" LIMIT 11", StringComparison.Ordinal) ? sql[..^" LIMIT 11".Length] + " LIMIT " + rows.ToString(CultureInfo.InvariantCulture)
                : throw new InvalidOperationException("not a SQLite statement of a timeline page: " + sql);

        private static void Read(IEnumerable<dynamic> rows) => _ = rows.Count();
    }
}

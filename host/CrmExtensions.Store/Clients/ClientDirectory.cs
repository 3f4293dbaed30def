using System.Data.Common;
using System.Globalization;
using System.Text;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Clients;

/// <summary>How a page of the client directory is ordered.</summary>
public enum ClientListOrder
{
    /// <summary>By the reporting window's revenue, largest first (the Pareto report's ranking), then clients without revenue by id.</summary>
    Revenue,

    /// <summary>By display name (folded: case and ё ignored), then id.</summary>
    Name,
}

/// <summary>Which clients a directory page lists; every condition given must hold.</summary>
/// <param name="Search">Any part of a member's name (Cyrillic or Latin, any case, ё = е), an INN of any member (branches
/// included), a phone (its digits; <c>8</c> or <c>+7</c> alike) or an e-mail.</param>
/// <param name="Manager">The client's manager, exactly (the dossier's manager).</param>
/// <param name="Region">The client's region (its head member's); "Москва" also finds "г. Москва".</param>
/// <param name="Stage">The lifecycle stage (client tag <c>lifecycle.stage</c>).</param>
/// <param name="AbcClass">A, B or C: the client's class in the Pareto report of the reporting window; clients without
/// revenue in the window have none.</param>
/// <param name="Overdue">True: clients with overdue debt today; false: clients without.</param>
/// <param name="Tag">A client tag, <c>NAME</c> or <c>NAME=VALUE</c>.</param>
/// <param name="Order">The order of the rows.</param>
/// <param name="Clients">Only the clients of a segment (a stored behaviour segment, any <c>KIND=VALUE</c>), compiled by the
/// campaigns' segment compiler and embedded as a sub-select.</param>
public sealed record ClientListFilter(string? Search = null, string? Manager = null, string? Region = null, string? Stage = null,
    string? AbcClass = null, bool? Overdue = null, string? Tag = null, ClientListOrder Order = ClientListOrder.Revenue, ClientSet? Clients = null);

/// <summary>One client of the directory.</summary>
/// <param name="ClientId">The client's id.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="Manager">Its manager, or null.</param>
/// <param name="Region">Its region, or null.</param>
/// <param name="Stage">Its lifecycle stage, or null.</param>
/// <param name="AbcClass">Its Pareto class in the reporting window, or null without revenue there.</param>
/// <param name="Revenue">Invoices issued in the reporting window (the Pareto report's revenue).</param>
/// <param name="Overdue">What is owed past due today.</param>
/// <param name="LegalEntities">How many legal entities it has.</param>
/// <param name="Branches">How many branches it has.</param>
public sealed record ClientListRow(long ClientId, string DisplayName, string? Manager, string? Region, string? Stage, string? AbcClass,
    decimal Revenue, decimal Overdue, long LegalEntities, long Branches);

/// <summary>One page of the directory.</summary>
/// <param name="Rows">The clients of the page, in the filter's order.</param>
/// <param name="Next">An opaque cursor for the page after this one; null on the last page.</param>
public sealed record ClientListPage(IReadOnlyList<ClientListRow> Rows, string? Next);

/// <summary>The client list of the web workspace: search, filters and keyset pages over every live client.</summary>
/// <remarks>
/// Reads <c>client_directory</c> (one row per live client, computed again by <see cref="ClientDirectoryWriter"/> when the day,
/// the mirror or the clients changed) and the search index <c>client_search</c>. Pages continue from the last row's key,
/// never by OFFSET, and nothing counts the whole base, so a page costs the same on the first and the thousandth page.
/// Thread-safe: every call opens its own connection.
/// </remarks>
public sealed class ClientDirectory
{
    /// <summary>The most rows one page returns.</summary>
    public const int MaxLimit = 500;

    private readonly CrmStore _store;

    /// <summary>Creates the directory over a store; the reporting window ends today in the store clock's local zone.</summary>
    public ClientDirectory(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Makes the rows current (after a sync or unification that changed something, or on a new day), as the first
    /// page read would; the long-running host does it each cycle, so no page view pays for it.</summary>
    /// <returns>Whether the rows were computed again now.</returns>
    public bool Refresh()
    {
        using var connection = _store.Open();
        return ClientDirectoryWriter.EnsureCurrent(_store, connection, Today);
    }

    private DateOnly Today => DateOnly.FromDateTime(_store.Time.GetLocalNow().DateTime);

    /// <summary>One page of clients.</summary>
    /// <param name="filter">Which clients, in which order.</param>
    /// <param name="after">The <see cref="ClientListPage.Next"/> of the previous page, or null for the first.</param>
    /// <param name="limit">Rows per page, 1 to <see cref="MaxLimit"/>.</param>
    /// <exception cref="ArgumentException">The cursor is not one this directory gave for that order, or a filter value is invalid.</exception>
    public ClientListPage Page(ClientListFilter filter, string? after, int limit)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        using var connection = _store.Open();
        ClientDirectoryWriter.EnsureCurrent(_store, connection, Today);
        var parameters = new DynamicParameters();
        var conditions = Conditions(connection, filter, limit, parameters);
        conditions.AddRange(CursorCondition(filter.Order, after, parameters));
        var sql = _store.Dialect.Top(SelectSql + (conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions)) +
            (filter.Order == ClientListOrder.Name ? " ORDER BY d.sort_name, d.client_id" : RevenueOrderBy), limit + 1);
        var rows = connection.Query<Row>(sql, parameters).AsList();
        var next = rows.Count > limit ? Cursor(filter.Order, rows[limit - 1]) : null;
        return new ClientListPage(rows.Take(limit).Select(r => new ClientListRow(r.ClientId, r.DisplayName, r.Manager, r.Region, r.Stage, r.AbcClass,
            Money.FromStored(r.Revenue), Money.FromStored(r.Overdue), r.LegalEntities, r.Branches)).ToList(), next);
    }

    private List<string> Conditions(DbConnection connection, ClientListFilter filter, int limit, DynamicParameters parameters)
    {
        var conditions = new List<string>();
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // A term of no letter or digit ("%", "«»") is in no folded text: it finds nothing, not every client.
            var term = SearchText.Term(filter.Search);
            conditions.Add(term.Length > 0 ? SearchCondition(_store, connection, term, limit + 1, parameters) : "1 = 0");
        }

        if (!string.IsNullOrWhiteSpace(filter.Manager))
        {
            parameters.Add("manager", filter.Manager.Trim());
            conditions.Add("d.manager = @manager");
        }

        if (!string.IsNullOrWhiteSpace(filter.Region))
        {
            // Ledgers write a city region either way: "Москва" also finds "г. Москва".
            parameters.Add("region", filter.Region.Trim());
            parameters.Add("cityRegion", "г. " + filter.Region.Trim());
            conditions.Add("d.region IN (@region, @cityRegion)");
        }

        if (!string.IsNullOrWhiteSpace(filter.Stage))
        {
            parameters.Add("stage", filter.Stage.Trim());
            conditions.Add("EXISTS (SELECT 1 FROM client_tags st WHERE st.client_id = d.client_id AND st.name = 'lifecycle.stage' AND st.value = @stage)");
        }

        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            conditions.Add(ClientTagFilter.Condition(filter.Tag, "d.client_id", parameters));
        }

        if (!string.IsNullOrWhiteSpace(filter.AbcClass))
        {
            var abc = filter.AbcClass.Trim().ToUpperInvariant();
            if (abc is not ("A" or "B" or "C"))
            {
                throw new ArgumentException($"ABC class '{filter.AbcClass}' is not A, B or C.", nameof(filter));
            }

            parameters.Add("abc", abc);
            conditions.Add("d.abc_class = @abc");
        }

        if (filter.Overdue is { } overdue)
        {
            conditions.Add(overdue ? "d.overdue > 0" : "d.overdue <= 0");
        }

        if (filter.Clients is { } clients)
        {
            // Not correlated: the database computes the segment's clients once, and the page walks its order as with any filter.
            conditions.Add(clients.Contains("d.client_id", parameters));
        }

        return conditions;
    }

    private static IEnumerable<string> CursorCondition(ClientListOrder order, string? after, DynamicParameters parameters)
    {
        if (after is null)
        {
            yield break;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(after.Replace('-', '+').Replace('_', '/') + new string('=', (4 - after.Length % 4) % 4)));
        }
        catch (FormatException)
        {
            text = "";
        }

        var colon = text.Length > 2 ? text.IndexOf(':', 2) : -1;
        if (order == ClientListOrder.Revenue && text.StartsWith("r:", StringComparison.Ordinal) && colon > 2 &&
            long.TryParse(text.AsSpan(2, colon - 2), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rank) &&
            long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var afterId))
        {
            // The range's start is an index seek; only rows of the same rank (clients of equal revenue) are stepped over.
            parameters.Add("afterRank", rank);
            parameters.Add("afterId", afterId);
            yield return AfterRankCondition;
            yield break;
        }

        if (order == ClientListOrder.Name && text.StartsWith("n:", StringComparison.Ordinal) && colon > 2 &&
            long.TryParse(text.AsSpan(2, colon - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            parameters.Add("afterName", text[(colon + 1)..]);
            parameters.Add("afterId", id);
            yield return "(d.sort_name > @afterName OR (d.sort_name = @afterName AND d.client_id > @afterId))";
            yield break;
        }

        throw new ArgumentException($"'{after}' is not a cursor of a client list ordered by {order.ToString().ToLowerInvariant()}.", nameof(after));
    }

    private static string Cursor(ClientListOrder order, Row last)
    {
        var text = order == ClientListOrder.Name
            ? string.Create(CultureInfo.InvariantCulture, $"n:{last.ClientId}:{last.SortName}")
            : string.Create(CultureInfo.InvariantCulture, $"r:{last.ListRank}:{last.ClientId}");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The condition that finds <paramref name="term"/> (already <see cref="SearchText.Term"/>), adding its parameters:
    /// through the search index, or by walking the list in its order and testing each client, whichever reads fewer rows.</summary>
    /// <remarks>
    /// On SQLite a term of three characters or more is looked up in the trigram index: that reads every matching member,
    /// then every match is sorted into list order before the page's <paramref name="rows"/> are kept. A common word
    /// ("ответственностью", a patronymic) matches a large part of the base, and walking the list in its order (the order's
    /// index), testing each client's members with LIKE until the page is full, reads only about
    /// <c>rows × clients / matches</c> rows, each costing about twice a match read from the index (a walked row is three
    /// index lookups: the client, its members, their text). The two costs meet near <c>matches² = 2 × rows × clients</c>,
    /// so the index is asked for at most that many matches (<c>clients</c> is the directory's size, one index seek): when
    /// it has them all, they are the page's candidates (passed to the page's statement, so a rare term is matched once);
    /// when it has more, the list is walked. The walk assumes the matches are spread through the list as through the
    /// index, as a planner does. On PostgreSQL and SQL Server the LIKE is planned by the server's own planner.
    /// </remarks>
    internal static string SearchCondition(CrmStore store, DbConnection connection, string term, int rows, DynamicParameters parameters)
    {
        parameters.Add("pattern", SearchText.ContainsPattern(term));
        if (store.Provider != DatabaseProvider.Sqlite || term.Length < 3)
        {
            return SearchLikeCondition;
        }

        var clients = connection.ExecuteScalar<long?>(ClientCountSql) ?? 0;
        if (clients <= rows)
        {
            // One page holds every client: walking them all is the least there is to read.
            return SearchScanCondition;
        }

        var enough = (long)Math.Ceiling(Math.Sqrt(2.0 * rows * clients));
        // A phrase of the trigram tokenizer matches the term anywhere in the text.
        var match = "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var matches = connection.Query<long>(MatchesSql, new { match, enough }).AsList();
        if (matches.Count >= enough)
        {
            return SearchScanCondition;
        }

        // The index has every match: they are the candidates, without asking it twice.
        parameters.Add("matches", store.Dialect.List(matches));
        return SearchMatchCondition;
    }

    // The directory's computation keeps the number of its rows.
    internal const string ClientCountSql = ClientDirectoryWriter.CountSql;

    /// <summary>The revenue order of <see cref="SelectSql"/>'s rows, <c>(list_rank, client_id)</c>.</summary>
    internal const string RevenueOrderBy = " ORDER BY d.list_rank, d.client_id";

    /// <summary>The rows after a page's last in the revenue order, <c>(list_rank, client_id)</c>.</summary>
    internal const string AfterRankCondition = "d.list_rank >= @afterRank AND (d.list_rank > @afterRank OR d.client_id > @afterId)";

    internal const string MatchesSql = "SELECT rowid FROM client_search_fts WHERE client_search_fts MATCH @match LIMIT @enough";

    internal const string SelectSql =
        "SELECT d.client_id AS ClientId, d.display_name AS DisplayName, d.manager AS Manager, d.region AS Region, st.value AS Stage, d.abc_class AS AbcClass, " +
        "d.revenue AS Revenue, d.overdue AS Overdue, d.legal_entities AS LegalEntities, d.branches AS Branches, d.list_rank AS ListRank, d.sort_name AS SortName " +
        "FROM client_directory d LEFT JOIN client_tags st ON st.client_id = d.client_id AND st.name = 'lifecycle.stage'";

    // @matches: the index's matching members (client_search ids), a list parameter; the trigram index is SQLite's.
    internal static readonly string SearchMatchCondition =
        SqliteDialect.Instance.InLists("d.client_id IN (SELECT s.client_id FROM client_search s WHERE s.id IN @matches)");

    internal static readonly string SearchLikeCondition = SearchLike("d.client_id", "pattern");

    /// <summary>The clients (<paramref name="clientColumn"/>) a member's folded search text of holds the LIKE pattern
    /// <paramref name="parameter"/> (<see cref="SearchText.ContainsPattern"/> of a <see cref="SearchText.Term"/>): the
    /// web's client list and the CLI's search alike.</summary>
    internal static string SearchLike(string clientColumn, string parameter) =>
        clientColumn + " IN (SELECT s.client_id FROM client_search s WHERE s.text LIKE @" + parameter + " ESCAPE '\\')";

    internal const string SearchScanCondition = "EXISTS (SELECT 1 FROM client_search s WHERE s.client_id = d.client_id AND s.text LIKE @pattern ESCAPE '\\')";

    /// <summary>Every statement shape this class sends, for a dialect; tests parse the T-SQL ones.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect)
    {
        var all = string.Join(" AND ", SearchLikeCondition, "d.manager = @manager", "d.region IN (@region, @cityRegion)",
            "EXISTS (SELECT 1 FROM client_tags st WHERE st.client_id = d.client_id AND st.name = 'lifecycle.stage' AND st.value = @stage)",
            ClientTagFilter.Sql("d.client_id", withValue: true),
            "d.abc_class = @abc", "d.overdue > 0", ClientSet.Sample.Contains("d.client_id", new DynamicParameters()),
            "(d.sort_name > @afterName OR (d.sort_name = @afterName AND d.client_id > @afterId))");
        yield return dialect.Top(SelectSql + " WHERE " + all + " ORDER BY d.sort_name, d.client_id", 51);
        yield return dialect.Top(SelectSql + " WHERE " + AfterRankCondition + RevenueOrderBy, 51);
    }

    private sealed class Row
    {
        public long ClientId { get; set; }
        public string DisplayName { get; set; } = "";
        public string? Manager { get; set; }
        public string? Region { get; set; }
        public string? Stage { get; set; }
        public string? AbcClass { get; set; }
        public long Revenue { get; set; }
        public long Overdue { get; set; }
        public long LegalEntities { get; set; }
        public long Branches { get; set; }
        public long ListRank { get; set; }
        public string SortName { get; set; } = "";
    }
}

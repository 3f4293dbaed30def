using System.Globalization;
using Dapper;

namespace CrmExtensions.Store.Clients;

/// <summary>How a client list is sorted.</summary>
public enum ClientListOrder
{
    /// <summary>Largest revenue over the reporting window first.</summary>
    Revenue,

    /// <summary>By name.</summary>
    Name,
}

/// <summary>What a client list is narrowed to.</summary>
/// <param name="Search">Part of a name (any case, ё = е), an INN, a phone or an e-mail of any member.</param>
public sealed record ClientListFilter(string? Search = null, string? Manager = null, string? Region = null, string? Stage = null,
    string? AbcClass = null, bool? Overdue = null, string? Tag = null, ClientListOrder Order = ClientListOrder.Revenue);

/// <summary>One client in a list.</summary>
public sealed record ClientListRow(long ClientId, string DisplayName, string? Manager, string? Region, string? Stage, string? AbcClass,
    decimal Revenue, decimal Overdue, long LegalEntities, long Branches);

/// <summary>A page of a client list.</summary>
/// <param name="Next">The cursor of the next page, or null on the last.</param>
public sealed record ClientListPage(IReadOnlyList<ClientListRow> Rows, string? Next);

/// <summary>The client list of the web workspace: search, filters, two orders, pages.</summary>
/// <remarks>Interim implementation: reads every live client's facts and filters in memory; fine for small stores only.</remarks>
public sealed class ClientDirectory(CrmStore store)
{
    private readonly CrmStore _store = store ?? throw new ArgumentNullException(nameof(store));

    private const string MembersSql =
        "SELECT m.client_id AS ClientId, c.name AS Name, m.tax_id AS TaxId, c.phone AS Phone, c.email AS Email, c.manager AS Manager, " +
        "COALESCE(m.region, c.region) AS Region, m.role AS Role FROM client_members m LEFT JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id";

    private const string ClientsSql = "SELECT client_id AS ClientId, display_name AS DisplayName, legal_entities AS LegalEntities, branches AS Branches FROM clients WHERE retired_at IS NULL";

    private const string TagsSql = "SELECT client_id AS ClientId, name AS Name, value AS Value FROM client_tags";

    private const string MoneySql =
        "SELECT m.client_id AS ClientId, CAST(SUM(CASE WHEN i.issued_on >= @from THEN i.amount ELSE 0 END) AS BIGINT) AS Revenue, " +
        "CAST(SUM(CASE WHEN i.settled_on IS NULL AND i.amount > COALESCE(i.paid_amount, 0) AND COALESCE(i.due_on, i.issued_on) < @today THEN i.amount - COALESCE(i.paid_amount, 0) ELSE 0 END) AS BIGINT) AS Overdue " +
        "FROM client_members m JOIN mirror_invoices i ON i.ledger = m.ledger AND i.counterparty_id = m.ledger_id WHERE i.vanished_at IS NULL GROUP BY m.client_id";

    /// <summary>A page of clients matching <paramref name="filter"/>, after the cursor <paramref name="after"/>.</summary>
    public ClientListPage Page(ClientListFilter filter, string? after, int limit)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var today = DateOnly.FromDateTime(_store.Time.GetUtcNow().UtcDateTime);
        using var connection = _store.Open();
        var members = connection.Query<(long ClientId, string? Name, string? TaxId, string? Phone, string? Email, string? Manager, string? Region, string Role)>(MembersSql)
            .ToLookup(m => m.ClientId);
        var tags = connection.Query<(long ClientId, string Name, string Value)>(TagsSql).ToLookup(t => t.ClientId);
        var money = connection.Query<(long ClientId, long Revenue, long Overdue)>(MoneySql,
            new { from = today.AddYears(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), today = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })
            .ToDictionary(m => m.ClientId);
        var rows = connection.Query<(long ClientId, string DisplayName, long LegalEntities, long Branches)>(ClientsSql).Select(c =>
        {
            var ms = members[c.ClientId].ToList();
            var head = ms.FirstOrDefault(m => m.Role == "head");
            money.TryGetValue(c.ClientId, out var mo);
            var stage = tags[c.ClientId].Where(t => t.Name == "lifecycle.stage").Select(t => t.Value).FirstOrDefault();
            return (Row: new ClientListRow(c.ClientId, c.DisplayName, head.Manager ?? ms.Select(m => m.Manager).FirstOrDefault(m => m is not null),
                head.Region ?? ms.Select(m => m.Region).FirstOrDefault(r => r is not null), stage, null, mo.Revenue / 10000m, mo.Overdue / 10000m, c.LegalEntities, c.Branches), Members: ms);
        }).Where(r => Matches(r.Row, r.Members, tags[r.Row.ClientId], filter)).Select(r => r.Row);
        var sorted = (filter.Order == ClientListOrder.Name
            ? rows.OrderBy(r => r.DisplayName, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.ClientId)
            : rows.OrderByDescending(r => r.Revenue).ThenBy(r => r.ClientId)).ToList();
        var start = after is null ? 0 : int.Parse(after, CultureInfo.InvariantCulture);
        var page = sorted.Skip(start).Take(limit).ToList();
        return new ClientListPage(page, start + limit < sorted.Count ? (start + limit).ToString(CultureInfo.InvariantCulture) : null);
    }

    private static bool Matches(ClientListRow row, List<(long ClientId, string? Name, string? TaxId, string? Phone, string? Email, string? Manager, string? Region, string Role)> members,
        IEnumerable<(long ClientId, string Name, string Value)> tags, ClientListFilter f)
    {
        if (f.Manager is { } manager && !members.Any(m => m.Manager == manager))
        {
            return false;
        }

        if (f.Region is { } region && !members.Any(m => string.Equals(m.Region, region, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (f.Stage is { } stage && row.Stage != stage)
        {
            return false;
        }

        if (f.Tag is { } tag && !tags.Any(t => t.Name == tag || $"{t.Name}={t.Value}" == tag))
        {
            return false;
        }

        if (f.Overdue is { } overdue && (row.Overdue > 0) != overdue)
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(f.Search))
        {
            return true;
        }

        var q = Fold(f.Search);
        var digits = new string(f.Search.Where(char.IsDigit).ToArray());
        return Fold(row.DisplayName).Contains(q, StringComparison.Ordinal) || members.Any(m =>
            (m.Name is not null && Fold(m.Name).Contains(q, StringComparison.Ordinal))
            || (m.TaxId is not null && m.TaxId == f.Search.Trim())
            || (digits.Length >= 5 && m.Phone is not null && new string(m.Phone.Where(char.IsDigit).ToArray()).EndsWith(digits, StringComparison.Ordinal))
            || (m.Email is not null && string.Equals(m.Email, f.Search.Trim(), StringComparison.OrdinalIgnoreCase)));
    }

    private static string Fold(string text) => text.Trim().ToLowerInvariant().Replace('ё', 'е');
}

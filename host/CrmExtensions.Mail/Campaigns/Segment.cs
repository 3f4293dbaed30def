using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Mail.Campaigns;

/// <summary>
/// One <c>--segment</c> condition on clients: <c>region=Москва</c>, <c>stage=expansion</c>, <c>abc=A</c>,
/// <c>overdue=yes|no</c>, <c>tag=name[=value]</c>, <c>bought=PRODUCT</c>, <c>not_bought=PRODUCT</c>,
/// <c>recommended=PRODUCT</c>, <c>segment=NAME</c> (a stored behaviour segment). Several AND together.
/// </summary>
/// <remarks>
/// Stages and tags are rows of <c>client_tags</c> that plugins write (the lifecycle plugin writes
/// <c>lifecycle.stage</c>), so plugin-defined segments are tags. ABC classes are the Pareto report's, over the same
/// reporting window (<see cref="ReportingWindow"/>): C is the rest and clients without revenue. Money is read from the
/// client-keyed invoices, so every condition is a set-based query. Products are their keys as the dossier shows them
/// (the product code; <c>ledger/code</c> when products are told apart per ledger): <c>bought</c> and <c>not_bought</c> read
/// each client's product purchases, <c>recommended</c> its stored top recommendations (migration 23), which a caller makes
/// current first (<see cref="SelectClients"/> does when given the store). A stored behaviour segment (<c>segment=NAME</c>)
/// is a rule whose leaves are these conditions and more; <see cref="Segments.SegmentSql"/> compiles it, and every
/// selection runs through it.
/// </remarks>
internal sealed record Segment(string Kind, string Value, string? TagValue = null)
{
    public const string Usage = "region=NAME, stage=STAGE, abc=A|B|C, overdue=yes|no, tag=NAME[=VALUE], bought=PRODUCT, not_bought=PRODUCT, recommended=PRODUCT, segment=NAME";

    /// <summary>The kind that names a stored behaviour segment (<c>crmx segment add</c>).</summary>
    public const string StoredKind = "segment";

    internal const string TagsTable = "client_tags";

    /// <summary>The overdue invoices of the client <c>c</c> on @asOf (the reports' definition), as a FROM … WHERE.</summary>
    internal static readonly string ClientOverdue = "FROM mirror_invoices i WHERE i.client_id = c.client_id AND " + ClientMoneySql.Overdue;

    public override string ToString() => TagValue is null ? $"{Kind}={Value}" : $"{Kind}={Value}={TagValue}";

    /// <summary>Parses <c>kind=value</c>.</summary>
    /// <exception cref="CrmException">The text is not a segment this host knows.</exception>
    public static Segment Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new CrmException($"Segment '{text}' is not KIND=VALUE; use {Usage}.");
        }

        var kind = text[..equals].Trim().ToLowerInvariant();
        var value = text[(equals + 1)..].Trim();
        switch (kind)
        {
            case "region" or "stage" or "bought" or "not_bought" or "recommended" or StoredKind:
                return new Segment(kind, value);
            case "abc" when value.ToUpperInvariant() is "A" or "B" or "C":
                return new Segment(kind, value.ToUpperInvariant());
            case "overdue" when value.ToLowerInvariant() is "yes" or "no":
                return new Segment(kind, value.ToLowerInvariant());
            case "tag":
                var tagEquals = value.IndexOf('=', StringComparison.Ordinal);
                return tagEquals < 0 ? new Segment(kind, value) : new Segment(kind, value[..tagEquals].Trim(), value[(tagEquals + 1)..].Trim());
            case "abc" or "overdue":
                throw new CrmException($"Segment '{text}': {kind} takes {(kind == "abc" ? "A, B or C" : "yes or no")}.");
            default:
                throw new CrmException($"Segment '{text}': unknown kind '{kind}'; use {Usage}.");
        }
    }

    /// <summary>The SQL condition on <c>c.client_id</c> (a row of <c>clients c</c>), its parameters added to <paramref name="parameters"/>.</summary>
    public string Condition(DynamicParameters parameters, int index, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var p = "s" + index.ToString(CultureInfo.InvariantCulture);
        switch (Kind)
        {
            case "region":
                // Ledgers write a city region either way: "Москва" also finds "г. Москва".
                parameters.Add(p, Value);
                parameters.Add(p + "g", "г. " + Value);
                return $"EXISTS (SELECT 1 FROM client_members m WHERE m.client_id = c.client_id AND m.role = 'head' AND m.region IN (@{p}, @{p}g))";
            case "stage":
                parameters.Add(p, Value);
                return $"EXISTS (SELECT 1 FROM {TagsTable} t WHERE t.client_id = c.client_id AND t.name = 'lifecycle.stage' AND t.value = @{p})";
            case "tag":
                parameters.Add(p, Value);
                if (TagValue is null)
                {
                    return $"EXISTS (SELECT 1 FROM {TagsTable} t WHERE t.client_id = c.client_id AND t.name = @{p})";
                }

                parameters.Add(p + "v", TagValue);
                return $"EXISTS (SELECT 1 FROM {TagsTable} t WHERE t.client_id = c.client_id AND t.name = @{p} AND t.value = @{p}v)";
            case "bought" or "not_bought":
                parameters.Add(p, Value);
                return (Kind == "bought" ? "" : "NOT ") + $"EXISTS (SELECT 1 FROM product_purchases pp WHERE pp.client_id = c.client_id AND pp.product_key = @{p})";
            case "recommended":
                parameters.Add(p, Value);
                return $"EXISTS (SELECT 1 FROM client_recommendations cr WHERE cr.client_id = c.client_id AND cr.product_key = @{p})";
            case StoredKind:
                throw new InvalidOperationException($"Segment '{this}' is a stored rule: select through SelectClients or Segments.BehaviourSegments, which read it.");
            case "overdue":
                // The reports' overdue debt, on the client-keyed invoices: open, its due date (else its issue date) past.
                parameters.Add("asOf", ReportingWindow.Text(today));
                return (Value == "yes" ? "" : "NOT ") + "EXISTS (SELECT 1 " + ClientOverdue + ")";
            default:
                // The Pareto report's own classes over the same reporting window; C is also every client without revenue there.
                var window = ReportingWindow.TwelveMonthsTo(today);
                parameters.Add("from", window.FromText);
                parameters.Add("to", window.ToText);
                return Value switch
                {
                    "A" or "B" => $"c.client_id IN (SELECT k.id FROM {ClientMoneySql.Classes} k WHERE k.class = '{Value}')",
                    _ => $"c.client_id NOT IN (SELECT k.id FROM {ClientMoneySql.Classes} k WHERE k.class IN ('A', 'B') AND k.id IS NOT NULL)",
                };
        }
    }

    /// <summary>Whether a segment needs <c>client_tags</c>.</summary>
    public bool NeedsTags => Kind is "stage" or "tag";

    /// <summary>Whether a segment reads the products clients bought or are recommended (migration 23's tables).</summary>
    public bool NeedsProducts => Kind is "bought" or "not_bought" or "recommended";

    /// <summary>The clients (current, not retired) in every segment, by id.</summary>
    /// <param name="connection">An open store connection, in no transaction.</param>
    /// <param name="segments">The segments, ANDed.</param>
    /// <param name="today">The day money conditions are reckoned on.</param>
    /// <param name="store">The store, so product segments read current purchases and recommendations; without it they read
    /// what the last computation stored.</param>
    /// <exception cref="CrmException">A stage or tag segment on a store without client tags.</exception>
    /// <remarks>Hours of activities in stored segments are read in <paramref name="zone"/>, by default this machine's.</remarks>
    public static IReadOnlyList<long> SelectClients(DbConnection connection, IReadOnlyList<Segment> segments, DateOnly today, TimeZoneInfo? zone = null, CrmStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(segments);
        MakeCurrent(connection, segments, store);
        return Segments.BehaviourSegments.Select(connection, segments.Count == 0 ? null : Rule(segments), today, zone ?? TimeProvider.System.LocalTimeZone);
    }

    /// <summary>The clients in every segment as a <see cref="ClientSet"/>: the condition <see cref="SelectClients"/> runs, for the
    /// client list and the reports to embed; named by the conditions (<c>segment=vip</c>, <c>region=Москва, abc=A</c>).</summary>
    /// <param name="connection">An open store connection, in no transaction.</param>
    /// <param name="segments">The segments, ANDed; at least one.</param>
    /// <param name="today">The day money and contact conditions are reckoned on.</param>
    /// <param name="zone">The zone hours of activities are read in.</param>
    /// <param name="store">The store, so product segments read current purchases and recommendations.</param>
    /// <exception cref="CrmException">A stored segment is missing or circular, or a stage or tag segment runs on a store without client tags.</exception>
    public static ClientSet Set(DbConnection connection, IReadOnlyList<Segment> segments, DateOnly today, TimeZoneInfo zone, CrmStore? store)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentOutOfRangeException.ThrowIfZero(segments.Count);
        MakeCurrent(connection, segments, store);
        return Segments.BehaviourSegments.Compile(connection, Rule(segments), string.Join(", ", segments), today, zone);
    }

    private static Segments.AllOf Rule(IReadOnlyList<Segment> segments) => new(segments.Select(s => new Segments.SegmentLeaf(s)).ToList());

    private static void MakeCurrent(DbConnection connection, IReadOnlyList<Segment> segments, CrmStore? store)
    {
        if (store is not null && segments.Any(s => s.NeedsProducts || s.Kind == StoredKind))
        {
            // A stored rule may hold product conditions too; bringing the purchases up to date is cheap when nothing changed.
            Store.Recommendations.RecommendationWriter.EnsureCurrent(store, connection, null);
        }
    }

    /// <summary>Fails when a stage or tag condition is to run on a store without client tags.</summary>
    /// <exception cref="CrmException">Some of <paramref name="segments"/> need tags and the store has none.</exception>
    internal static void RequireTags(DbConnection connection, IEnumerable<Segment> segments)
    {
        var needing = segments.Where(s => s.NeedsTags).ToList();
        if (needing.Count > 0 && !HasTags(connection))
        {
            throw new CrmException($"Segments {string.Join(", ", needing)} need client tags, which plugins write " +
                "(lifecycle stages come from the lifecycle plugin); this store has none yet. Run the plugins ('crmx run') first.");
        }
    }

    internal static string SelectSql(IEnumerable<string> conditions) =>
        "SELECT c.client_id FROM clients c WHERE c.retired_at IS NULL" + string.Concat(conditions.Select(c => " AND " + c)) + " ORDER BY c.client_id";

    private static bool HasTags(DbConnection connection)
    {
        try
        {
            connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM {TagsTable} WHERE 1 = 0");
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>Every statement shape the segments produce, for the T-SQL check.</summary>
    internal static IEnumerable<string> Statements()
    {
        var today = new DateOnly(2026, 1, 1);
        string[] all = ["region=Москва", "stage=expansion", "tag=vip", "tag=source=fair", "overdue=yes", "overdue=no", "abc=A", "abc=B", "abc=C",
            "bought=P-1", "not_bought=P-2", "recommended=P-3"];
        var parameters = new DynamicParameters();
        yield return SelectSql(all.Select((s, i) => Parse(s).Condition(parameters, i, today)));
        yield return $"SELECT COUNT(*) FROM {TagsTable} WHERE 1 = 0";
    }
}

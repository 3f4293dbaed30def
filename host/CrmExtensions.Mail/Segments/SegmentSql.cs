using System.Data.Common;
using System.Globalization;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Store;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using CrmExtensions.Store.Segments;
using Dapper;

namespace CrmExtensions.Mail.Segments;

/// <summary>
/// Compiles a <see cref="SegmentRule"/> into one SQL condition on <c>c.client_id</c> (a row of <c>clients c</c>), for
/// SQLite, PostgreSQL and SQL Server alike.
/// </summary>
/// <remarks>
/// Every value of a rule becomes a parameter (<c>@b0</c>, <c>@s1</c>, …); the SQL text is made only of this class's own
/// fragments and the <see cref="Segment"/> conditions, chosen from closed lists by the parsed tree. Each condition is
/// two-valued (a CASE, or IN / NOT IN over ids that are never NULL; never a bare comparison with a value that may be
/// NULL), so NOT of it is exact. Contact conditions are one grouped pass over the window's activities, not a subquery per client.
/// <para>Hours of the day are read in the workspace's time zone — the zone <c>crmx activity import</c> and
/// <c>activity add</c> read local times in — at its UTC offset on the day the rule is evaluated: <c>occurred_at</c> is
/// stored as UTC text, and a fixed offset is what every database can add. In a zone with daylight saving the hours of
/// activities from the other side of a change read one hour off; Russian zones have no such change.</para>
/// </remarks>
internal sealed class SegmentSql
{
    private readonly DbConnection? _connection;
    private readonly DateOnly _today;
    private readonly TimeZoneInfo _zone;
    private readonly ReportingWindow _window;
    private readonly List<string> _expanding = [];
    private readonly List<Segment> _segments = [];
    private readonly Dictionary<string, SegmentRule> _stored = new(StringComparer.Ordinal);
    private RfmScale? _rfm;
    private int _next;

    /// <param name="connection">Where stored segments and the RFM distribution are read; null only with <paramref name="rfm"/>
    /// given and no <c>segment=NAME</c> in the rules (the T-SQL check's shapes).</param>
    public SegmentSql(DbConnection? connection, DateOnly today, TimeZoneInfo zone, RfmScale? rfm = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        _connection = connection;
        _today = today;
        _zone = zone;
        _window = ReportingWindow.TwelveMonthsTo(today);
        _rfm = rfm;
    }

    private DbConnection Connection => _connection ?? throw new InvalidOperationException("This compilation has no connection to read the store with.");

    /// <summary>The parameters of every condition compiled so far.</summary>
    public DynamicParameters Parameters { get; } = new();

    /// <summary>The day the rule is evaluated on.</summary>
    public DateOnly Today => _today;

    /// <summary>The RFM cut-offs of the day, measured once per compilation.</summary>
    public RfmScale Rfm => _rfm ??= RfmScale.Measure(Connection, _today);

    /// <summary>The <see cref="Segment"/> conditions met so far (references expanded), to check they can run.</summary>
    public IReadOnlyList<Segment> Leaves => _segments;

    /// <summary>The SQL condition of a rule.</summary>
    /// <exception cref="CrmException">A <c>segment=NAME</c> names no stored segment, or stored segments refer to each other in a circle.</exception>
    public string Condition(SegmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule switch
        {
            AllOf all => "(" + string.Join(" AND ", all.Items.Select(Condition)) + ")",
            AnyOf any => "(" + string.Join(" OR ", any.Items.Select(Condition)) + ")",
            NotRule not => "NOT (" + Condition(not.Item) + ")",
            SegmentLeaf { Segment.Kind: Segment.StoredKind } leaf => Stored(leaf.Segment.Value),
            SegmentLeaf leaf => Leaf(leaf.Segment),
            FactCondition fact => FactSql(fact),
            ContactCondition contact => ContactSql(contact),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.GetType().Name, "Not a rule node."),
        };
    }

    /// <summary>The rule a stored segment holds, parsed; read once per compilation however often the rules name it.</summary>
    /// <exception cref="CrmException">No stored segment of that name, or its stored rule no longer reads.</exception>
    public SegmentRule StoredRule(string name)
    {
        if (_stored.TryGetValue(name, out var known))
        {
            return known;
        }

        var definition = SegmentDefinitionStore.Find(Connection, name)
            ?? throw new CrmException($"No stored segment '{name}'; 'crmx segment list' shows them, 'crmx segment add' stores one.");
        try
        {
            return _stored[name] = SegmentRuleParser.Parse(definition.RuleText);
        }
        catch (SegmentRuleException ex)
        {
            throw new CrmException($"Stored segment '{name}': {ex.Message}", ex);
        }
    }

    private string Stored(string name)
    {
        if (_expanding.Contains(name, StringComparer.Ordinal))
        {
            throw new CrmException($"Stored segments refer to each other in a circle: {string.Join(" → ", _expanding.Append(name))}; change one of them.");
        }

        _expanding.Add(name);
        try
        {
            return Condition(StoredRule(name));
        }
        finally
        {
            _expanding.RemoveAt(_expanding.Count - 1);
        }
    }

    private string Leaf(Segment segment)
    {
        _segments.Add(segment);
        return segment.Condition(Parameters, _next++, _today);
    }

    private string Name() => "b" + (_next++).ToString(CultureInfo.InvariantCulture);

    private string Parameter(object value)
    {
        var name = Name();
        Parameters.Add(name, value);
        return "@" + name;
    }

    /// <summary>A comparison made two-valued: NULL on either side is "no".</summary>
    private static string Truth(string comparison) => $"(CASE WHEN {comparison} THEN 1 ELSE 0 END) = 1";

    private static string Symbol(Comparison comparison) => comparison == Comparison.NotEqual ? "<>" : RuleWords.Symbol(comparison);

    /// <summary>"Days since a date OP n" as "the date OP' today − n": date text compares the same in every database.</summary>
    private static Comparison Flip(Comparison comparison) => comparison switch
    {
        Comparison.Greater => Comparison.Less,
        Comparison.GreaterOrEqual => Comparison.LessOrEqual,
        Comparison.Less => Comparison.Greater,
        Comparison.LessOrEqual => Comparison.GreaterOrEqual,
        _ => comparison,
    };

    /// <summary>The live invoices of the client <c>c</c> issued by the day.</summary>
    internal const string ClientInvoices = "FROM mirror_invoices i WHERE i.client_id = c.client_id AND " + RfmScale.Purchases;

    /// <summary>A fact's value expressions for one client (<c>c</c>), as <c>explain</c> shows them.</summary>
    internal static string FactValue(Fact fact) => fact switch
    {
        Fact.DaysSincePurchase or Fact.RfmRecency => "(SELECT " + RfmScale.LastPurchase + " " + ClientInvoices + ")",
        Fact.RfmFrequency => "(SELECT CAST(COUNT(*) AS BIGINT) " + ClientInvoices + " AND i.issued_on >= @from)",
        Fact.RfmMonetary or Fact.Revenue => "(SELECT CAST(COALESCE(SUM(i.base_amount), 0) AS BIGINT) " + ClientInvoices + " AND i.issued_on >= @from)",
        Fact.RevenueTrend => "(SELECT CAST(COALESCE(SUM(i.base_amount), 0) AS BIGINT) " + ClientInvoices + " AND i.issued_on >= @trendFrom AND i.issued_on < @from)",
        Fact.OverdueAmount => "(SELECT CAST(COALESCE(SUM(" + ClientMoneySql.OpenAmount + "), 0) AS BIGINT) " + Segment.ClientOverdue + ")",
        _ => "(SELECT MIN(COALESCE(i.due_on, i.issued_on)) " + Segment.ClientOverdue + ")",
    };

    /// <summary>The first day of the twelve months before the reporting window, which the trend compares with.</summary>
    internal string TrendFrom => ReportingWindow.TwelveMonthsTo(_window.From.AddDays(-1)).FromText;

    /// <summary>Adds the day and the windows the fact SQL reads (<c>@asOf</c>, <c>@from</c>, <c>@to</c>, <c>@trendFrom</c>), the
    /// same values the <see cref="Segment"/> conditions give them.</summary>
    internal void AddFactParameters()
    {
        Parameters.Add("asOf", ReportingWindow.Text(_today));
        Parameters.Add("from", _window.FromText);
        Parameters.Add("to", _window.ToText);
        Parameters.Add("trendFrom", TrendFrom);
    }

    private string FactSql(FactCondition fact)
    {
        AddFactParameters();
        var op = Symbol(fact.Comparison);
        switch (fact.Fact)
        {
            case Fact.Revenue or Fact.OverdueAmount:
                return FactValue(fact.Fact) + " " + op + " " + Parameter(Money.ToStored(fact.Value));
            case Fact.DaysSincePurchase or Fact.OverdueDays:
                var day = ReportingWindow.Text(_today.AddDays(-(int)fact.Value));
                return Truth(FactValue(fact.Fact) + " " + Symbol(Flip(fact.Comparison)) + " " + Parameter(day));
            case Fact.RevenueTrend:
                // (current − previous) × 100 OP p × previous, with a previous year to compare with: no division, exact.
                var previous = "SUM(CASE WHEN i.issued_on < @from THEN COALESCE(i.base_amount, 0) ELSE 0 END)";
                var current = "SUM(CASE WHEN i.issued_on >= @from THEN COALESCE(i.base_amount, 0) ELSE 0 END)";
                return $"(SELECT CASE WHEN {previous} > 0 AND ({current} - {previous}) * 100 {op} {Parameter((double)fact.Value)} * {previous} " +
                    $"THEN 1 ELSE 0 END {ClientInvoices} AND i.issued_on >= @trendFrom) = 1";
            default:
                return $"(SELECT CASE WHEN COUNT(*) > 0 AND {Score(fact.Fact)} {op} {Parameter((long)fact.Value)} THEN 1 ELSE 0 END {ClientInvoices}) = 1";
        }
    }

    /// <summary>An RFM score over the client's invoices (an aggregate of <see cref="ClientInvoices"/>): 1 + the cut-offs below its value.</summary>
    internal string Score(Fact fact)
    {
        var (value, cuts) = fact switch
        {
            Fact.RfmRecency => (RfmScale.LastPurchase, Rfm.RecencyDates.Cast<object>()),
            Fact.RfmFrequency => (RfmScale.WindowInvoices, Rfm.Frequency.Cast<object>()),
            _ => (RfmScale.WindowRevenue, Rfm.Monetary.Cast<object>()),
        };
        return "(1" + string.Concat(cuts.Select(cut => $" + CASE WHEN {value} > {Parameter(cut)} THEN 1 ELSE 0 END")) + ")";
    }

    /// <summary>A client's RFM score as a value (NULL without a purchase), for <c>explain</c>.</summary>
    internal string ScoreValue(Fact fact) => $"(SELECT CASE WHEN COUNT(*) > 0 THEN {Score(fact)} END {ClientInvoices})";

    /// <summary>The activities of the filter's group in its window, as a FROM … WHERE: of the client <c>c</c> (merged-away
    /// clients' included) when <paramref name="oneClient"/>, else of every client, each as <see cref="ActivityClient"/>.</summary>
    internal string ContactBase(ContactFilter filter, bool oneClient)
    {
        var kinds = RuleWords.Groups[filter.Group];
        var (since, until) = Window(filter.Days);
        var sql = (oneClient
                ? "FROM activities a WHERE (a.client_id = c.client_id OR a.client_id IN (SELECT r.client_id FROM clients r WHERE r.merged_into = c.client_id)) "
                : "FROM activities a LEFT JOIN clients r ON r.client_id = a.client_id WHERE a.client_id IS NOT NULL ") +
            $"AND a.occurred_at >= {Parameter(since)} AND a.occurred_at < {Parameter(until)}";
        return kinds.Length == 0 ? sql : sql + " AND a.kind IN (" + string.Join(", ", kinds.Select(k => Parameter(k))) + ")";
    }

    /// <summary>The client an activity counts for: the client it was recorded on, or the one that client was merged into.</summary>
    private const string ActivityClient = "COALESCE(r.merged_into, a.client_id)";

    /// <summary>The filters of a contact measure on an activity <c>a</c>, ANDed; "1 = 1" for none.</summary>
    internal string ContactFilters(ContactFilter filter)
    {
        var parts = new List<string>();
        if (filter.Hours is { } hours)
        {
            // Minutes since local midnight: the UTC clock of occurred_at (yyyy-MM-ddTHH:mm…) plus the zone's offset.
            var offset = (int)_zone.GetUtcOffset(_today.ToDateTime(new TimeOnly(12, 0))).TotalMinutes;
            var minutes = "((CAST(SUBSTRING(a.occurred_at, 12, 2) AS INTEGER) * 60 + CAST(SUBSTRING(a.occurred_at, 15, 2) AS INTEGER) + " +
                Parameter(offset + 24 * 60) + ") % 1440)";
            var from = Parameter(hours.From);
            var to = Parameter(hours.To);
            parts.Add(hours.Wraps ? $"({minutes} >= {from} OR {minutes} < {to})" : $"({minutes} >= {from} AND {minutes} < {to})");
        }

        if (filter.Kind is not null)
        {
            parts.Add("a.kind = " + Parameter(filter.Kind));
        }

        if (filter.Channel is not null)
        {
            parts.Add("a.channel = " + Parameter(filter.Channel));
        }

        if (filter.Direction is not null)
        {
            parts.Add("a.direction = " + Parameter(filter.Direction));
        }

        return parts.Count == 0 ? "1 = 1" : string.Join(" AND ", parts);
    }

    /// <summary>The instants (store text) that bound a window of days: from local midnight <paramref name="days"/> − 1 days
    /// ago to local midnight after today.</summary>
    internal (string Since, string Until) Window(int days)
    {
        var first = _today.AddDays(1 - days).ToDateTime(TimeOnly.MinValue);
        var next = _today.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return (StoreTime.Format(new DateTimeOffset(first, _zone.GetUtcOffset(first))), StoreTime.Format(new DateTimeOffset(next, _zone.GetUtcOffset(next))));
    }

    private string ContactSql(ContactCondition contact)
    {
        // One grouped pass over the window's activities (not a subquery per client): the clients whose measure meets
        // the comparison, or — when a client without such activities meets it too (count < 5, count = 0) — all but
        // the clients whose measure fails it.
        var from = ContactBase(contact.Filter, oneClient: false);
        var filters = ContactFilters(contact.Filter);
        var op = Symbol(contact.Comparison);
        if (contact.Share)
        {
            // part × 100 OP p × all: a share without division, exact at the boundary (7 of 10 is not more than 70 %).
            return $"c.client_id IN (SELECT {ActivityClient} {from} GROUP BY {ActivityClient} " +
                $"HAVING SUM(CASE WHEN {filters} THEN 1 ELSE 0 END) * 100 {op} {Parameter((double)contact.Value)} * COUNT(*))";
        }

        var zeroMeets = contact.Comparison switch
        {
            Comparison.Greater => 0 > contact.Value,
            Comparison.GreaterOrEqual => 0 >= contact.Value,
            Comparison.Less => 0 < contact.Value,
            Comparison.LessOrEqual => 0 <= contact.Value,
            Comparison.Equal => contact.Value == 0,
            _ => contact.Value != 0,
        };
        var having = $"COUNT(*) {op} {Parameter((long)contact.Value)}";
        return zeroMeets
            ? $"c.client_id NOT IN (SELECT {ActivityClient} {from} AND {filters} GROUP BY {ActivityClient} HAVING NOT ({having}))"
            : $"c.client_id IN (SELECT {ActivityClient} {from} AND {filters} GROUP BY {ActivityClient} HAVING {having})";
    }

    /// <summary>A contact measure's two numbers for one client (<c>c</c>): the activities that meet the filters, and all of the group's in the window.</summary>
    internal string ContactValues(ContactFilter filter)
    {
        var from = ContactBase(filter, oneClient: true);
        var filters = ContactFilters(filter);
        return $"(SELECT CAST(COALESCE(SUM(CASE WHEN {filters} THEN 1 ELSE 0 END), 0) AS BIGINT) {from}), (SELECT CAST(COUNT(*) AS BIGINT) {from})";
    }
}

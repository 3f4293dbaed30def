using System.Data.Common;
using System.Globalization;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Mail.Segments;

/// <summary>One line of <c>crmx segment explain</c>: a node of the rule, whether the client meets it, and the values behind it.</summary>
/// <param name="Depth">0 for the rule's root, 1 for its parts, …</param>
internal sealed record ExplainLine(int Depth, string Text, bool Met);

/// <summary>Runs rules on the store: the clients a rule selects, and for one client why it is in or out.</summary>
internal static class BehaviourSegments
{
    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    /// <summary>The current clients a rule selects, by id.</summary>
    /// <exception cref="Store.CrmException">A stored segment it names is missing or circular, or a tag condition runs on a store without tags.</exception>
    public static IReadOnlyList<long> Select(DbConnection connection, SegmentRule? rule, DateOnly today, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (rule is null)
        {
            return connection.Query<long>(SelectSql(null)).ToList();
        }

        var set = Compile(connection, rule, rule.ToString()!, today, zone);
        return connection.Query<long>(SelectSql(set.Condition), new DynamicParameters(set.Parameters)).ToList();
    }

    /// <summary>The current clients a rule selects as a <see cref="ClientSet"/>: the same compiled condition <see cref="Select"/>
    /// runs, for the client list and the reports to embed.</summary>
    /// <param name="description">How the set is named for people.</param>
    /// <exception cref="Store.CrmException">A stored segment it names is missing or circular, or a tag condition runs on a store without tags.</exception>
    public static ClientSet Compile(DbConnection connection, SegmentRule rule, string description, DateOnly today, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rule);
        var sql = new SegmentSql(connection, today, zone);
        var condition = sql.Condition(rule);
        Segment.RequireTags(connection, sql.Leaves);
        return SetOf(description, condition, sql);
    }

    private static ClientSet SetOf(string description, string condition, SegmentSql sql) =>
        new(description, condition, sql.Parameters.ParameterNames.ToDictionary(n => n, n => sql.Parameters.Get<object?>(n), StringComparer.Ordinal));

    /// <summary>Whether one current client is in a segment (any kind, <c>segment=NAME</c> included).</summary>
    public static bool IsMember(DbConnection connection, Segment segment, long clientId, DateOnly today, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(segment);
        var sql = new SegmentSql(connection, today, zone);
        var condition = sql.Condition(new SegmentLeaf(segment));
        Segment.RequireTags(connection, sql.Leaves);
        sql.Parameters.Add("oneClient", clientId);
        return connection.ExecuteScalar<long>(MemberSql(condition), sql.Parameters) > 0;
    }

    /// <summary>Whether the current client <c>@oneClient</c> meets a condition: 1 or 0.</summary>
    internal static string MemberSql(string condition) => "SELECT COUNT(*) FROM clients c WHERE c.retired_at IS NULL AND c.client_id = @oneClient AND " + condition;

    /// <summary>Value expressions on <c>c</c> for the client <c>@oneClient</c>.</summary>
    internal static string ValueSql(string expressions) => "SELECT " + expressions + " FROM clients c WHERE c.client_id = @oneClient";

    internal static string SelectSql(string? condition) =>
        Segment.SelectSql(condition is null ? [] : [condition]);

    /// <summary>For one client, every node of the rule (stored segments it names opened up beneath them) with whether it is met and its values.</summary>
    public static IReadOnlyList<ExplainLine> Explain(DbConnection connection, SegmentRule rule, long clientId, DateOnly today, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rule);
        var lines = new List<ExplainLine>();
        Explain(new Explainer(connection, new SegmentSql(connection, today, zone), clientId), rule, 0, lines);
        return lines;
    }

    private sealed record Explainer(DbConnection Connection, SegmentSql Sql, long Client)
    {
        public bool Meets(string condition)
        {
            Sql.Parameters.Add("oneClient", Client);
            return Connection.ExecuteScalar<long>(MemberSql(condition), Sql.Parameters) > 0;
        }

        public T Value<T>(string expressions)
        {
            Sql.Parameters.Add("oneClient", Client);
            return Connection.QuerySingle<T>(ValueSql(expressions), Sql.Parameters);
        }
    }

    private static bool Explain(Explainer explainer, SegmentRule rule, int depth, List<ExplainLine> lines)
    {
        var index = lines.Count;
        lines.Add(null!);
        bool met;
        string text;
        switch (rule)
        {
            case AllOf all:
                met = all.Items.Select(p => Explain(explainer, p, depth + 1, lines)).ToList().All(m => m);
                text = "all of";
                break;
            case AnyOf any:
                met = any.Items.Select(p => Explain(explainer, p, depth + 1, lines)).ToList().Any(m => m);
                text = "any of";
                break;
            case NotRule not:
                met = !Explain(explainer, not.Item, depth + 1, lines);
                text = "not";
                break;
            case SegmentLeaf { Segment.Kind: Segment.StoredKind } stored:
                met = Explain(explainer, explainer.Sql.StoredRule(stored.Segment.Value), depth + 1, lines);
                text = stored.ToString();
                break;
            case FactCondition fact:
                met = explainer.Meets(explainer.Sql.Condition(fact));
                text = $"{fact}: {FactValues(explainer, fact.Fact)}";
                break;
            case ContactCondition contact:
                met = explainer.Meets(explainer.Sql.Condition(contact));
                var (part, all2) = explainer.Value<(long, long)>(explainer.Sql.ContactValues(contact.Filter));
                var values = !contact.Share ? part.ToString("N0", Russian)
                    : all2 == 0 ? "none in the window"
                    : $"{part.ToString("N0", Russian)} of {all2.ToString("N0", Russian)} ({(100m * part / all2).ToString("0.#", Russian)}%)";
                text = $"{contact.Filter.Describe()}: {values} {RuleWords.Symbol(contact.Comparison)} {RuleWords.Number(contact.Value)}{(contact.Share ? "%" : "")}";
                break;
            default:
                met = explainer.Meets(explainer.Sql.Condition(rule));
                text = rule.ToString()!;
                break;
        }

        lines[index] = new ExplainLine(depth, text, met);
        return met;
    }

    private static string FactValues(Explainer explainer, Fact fact)
    {
        var sql = explainer.Sql;
        var today = sql.Today;
        var window = ReportingWindow.TwelveMonthsTo(today);
        var money = (long stored) => Money.FromStored(stored).ToString("N2", Russian);
        sql.AddFactParameters();
        switch (fact)
        {
            case Fact.DaysSincePurchase:
                var last = explainer.Value<string?>(SegmentSql.FactValue(fact));
                return last is null ? "no purchase" : $"last purchase {last}, {Days(today, last)} days ago";
            case Fact.OverdueDays:
                var oldest = explainer.Value<string?>(SegmentSql.FactValue(fact));
                return oldest is null ? "nothing overdue" : $"the oldest overdue invoice fell due {oldest}, {Days(today, oldest)} days ago";
            case Fact.Revenue:
                return $"revenue {window.FromText}…{window.ToText}: {money(explainer.Value<long>(SegmentSql.FactValue(fact)))}";
            case Fact.OverdueAmount:
                return $"overdue on {ReportingWindow.Text(today)}: {money(explainer.Value<long>(SegmentSql.FactValue(fact)))}";
            case Fact.RevenueTrend:
                var (current, previous) = explainer.Value<(long, long)>(SegmentSql.FactValue(Fact.Revenue) + ", " + SegmentSql.FactValue(fact));
                return $"revenue {money(current)} in the twelve months to {window.ToText}, {money(previous)} in the twelve before" +
                    (previous > 0 ? $": {(100m * (current - previous) / previous).ToString("+0.#;-0.#;0", Russian)}%" : ": no trend without revenue the year before");
            default:
                var score = explainer.Value<long?>(sql.ScoreValue(fact));
                var measured = fact switch
                {
                    Fact.RfmRecency => "last purchase " + (explainer.Value<string?>(SegmentSql.FactValue(fact)) ?? "none"),
                    Fact.RfmFrequency => explainer.Value<long>(SegmentSql.FactValue(fact)).ToString("N0", Russian) + " invoice(s) in twelve months",
                    _ => "revenue " + money(explainer.Value<long>(SegmentSql.FactValue(fact))) + " in twelve months",
                };
                return score is null ? "no purchase, no score" : $"score {score} ({measured}; {sql.Rfm.Describe()})";
        }
    }

    private static int Days(DateOnly today, string day) =>
        today.DayNumber - DateOnly.ParseExact(day[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber;

    /// <summary>Every statement shape rules produce (one of each condition, and each explain query), for the T-SQL check.</summary>
    internal static IEnumerable<string> Statements()
    {
        var today = new DateOnly(2026, 1, 1);
        var sql = new SegmentSql(null, today, TimeZoneInfo.Utc, new RfmScale(["2025-01-01", "2025-06-01", "2025-09-01", "2025-12-01"], [0, 1, 3, 7], [0, 1, 2, 3], 0, false));
        var rule = SegmentRuleParser.Parse("(calls.share(hour 20-08, 90d) > 70% or activities.count(kind meeting, channel 'in person', direction out, 30d) >= 2 " +
            "or meetings.count(hour 09:30-18:00) = 0) and not overdue=yes and rfm.r >= 4 and rfm.f >= 2 and rfm.m != 5 and days_since_purchase <= 30 " +
            "and revenue > 100000 and revenue.trend < -20% and overdue.amount >= 5000 and overdue.days > 30 and abc=A");
        var condition = sql.Condition(rule);
        yield return SelectSql(condition);
        yield return MemberSql(condition);
        // Embedded in a list or a report: the parameters renamed.
        yield return SetOf(rule.ToString()!, condition, sql).Members(new DynamicParameters());
        foreach (var fact in Enum.GetValues<Fact>())
        {
            yield return ValueSql(SegmentSql.FactValue(fact));
        }

        yield return ValueSql(sql.ContactValues(new ContactFilter("calls", 90, new HourRange(1200, 480), "call", "phone", "in")));
        yield return ValueSql(sql.ScoreValue(Fact.RfmMonetary));
        yield return RfmScale.BaseSql;
    }
}

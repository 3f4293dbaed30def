using System.Globalization;
using CrmExtensions.Mail.Campaigns;

namespace CrmExtensions.Mail.Segments;

/// <summary>A behaviour segment's rule: a tree of AND, OR and NOT over conditions on a client.</summary>
/// <remarks>Every node prints back as the text syntax it reads from (<see cref="SegmentRuleParser"/>), so a stored rule
/// and <c>explain</c> show the same words the user typed. Nothing here is SQL: <see cref="SegmentSql"/> compiles a tree.</remarks>
internal abstract record SegmentRule
{
    /// <summary>The child rules of AND, OR and NOT; none for a condition.</summary>
    public virtual IReadOnlyList<SegmentRule> Parts => [];
}

/// <summary>Every part holds.</summary>
internal sealed record AllOf(IReadOnlyList<SegmentRule> Items) : SegmentRule
{
    public override IReadOnlyList<SegmentRule> Parts => Items;

    public override string ToString() => string.Join(" and ", Items.Select(p => p is AnyOf ? $"({p})" : p.ToString()));
}

/// <summary>At least one part holds.</summary>
internal sealed record AnyOf(IReadOnlyList<SegmentRule> Items) : SegmentRule
{
    public override IReadOnlyList<SegmentRule> Parts => Items;

    public override string ToString() => string.Join(" or ", Items.Select(p => p.ToString()));
}

/// <summary>The part does not hold.</summary>
internal sealed record NotRule(SegmentRule Item) : SegmentRule
{
    public override IReadOnlyList<SegmentRule> Parts => [Item];

    public override string ToString() => "not " + (Item is AllOf or AnyOf ? $"({Item})" : Item.ToString());
}

/// <summary>A <c>--segment</c> condition (<c>overdue=yes</c>, <c>tag=vip</c>, <c>segment=NAME</c>, and every kind campaigns know).</summary>
internal sealed record SegmentLeaf(Segment Segment) : SegmentRule
{
    public override string ToString()
    {
        // Quoted back when the value needs it to read again: spaces, parentheses or quotes.
        var text = Segment.ToString();
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var value = text[(equals + 1)..];
        return value.Length > 0 && value.All(ch => !char.IsWhiteSpace(ch) && ch is not ('(' or ')' or '"' or '\'' or ','))
            ? text : text[..(equals + 1)] + "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

/// <summary>How a measure is compared with its threshold.</summary>
internal enum Comparison
{
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
}

/// <summary>The client facts a rule can compare.</summary>
internal enum Fact
{
    /// <summary>RFM recency score, 1–5 (5: bought most recently).</summary>
    RfmRecency,

    /// <summary>RFM frequency score, 1–5 (5: most invoices in the reporting window).</summary>
    RfmFrequency,

    /// <summary>RFM monetary score, 1–5 (5: most revenue in the reporting window).</summary>
    RfmMonetary,

    /// <summary>Days since the last invoice.</summary>
    DaysSincePurchase,

    /// <summary>Revenue in the reporting window, in the currency unit.</summary>
    Revenue,

    /// <summary>Revenue in the reporting window against the twelve months before it, in percent.</summary>
    RevenueTrend,

    /// <summary>What is owed on overdue invoices, in the currency unit.</summary>
    OverdueAmount,

    /// <summary>Days since the oldest overdue invoice fell due.</summary>
    OverdueDays,
}

/// <summary>The words of the syntax for comparisons and facts.</summary>
internal static class RuleWords
{
    public static readonly IReadOnlyDictionary<string, Fact> Facts = new Dictionary<string, Fact>(StringComparer.OrdinalIgnoreCase)
    {
        ["rfm.r"] = Fact.RfmRecency,
        ["rfm.f"] = Fact.RfmFrequency,
        ["rfm.m"] = Fact.RfmMonetary,
        ["days_since_purchase"] = Fact.DaysSincePurchase,
        ["revenue"] = Fact.Revenue,
        ["revenue.trend"] = Fact.RevenueTrend,
        ["overdue.amount"] = Fact.OverdueAmount,
        ["overdue.days"] = Fact.OverdueDays,
    };

    /// <summary>The activity kinds each word of <c>WORD.count(…)</c> / <c>WORD.share(…)</c> counts; none is every kind.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Groups = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["activities"] = [],
        ["calls"] = ["call"],
        ["meetings"] = ["meeting"],
        ["emails"] = ["email-in", "email-out"],
        ["letters"] = ["letter-in", "letter-out"],
        ["web_forms"] = ["web-form"],
        ["notes"] = ["note"],
    };

    public static string Name(Fact fact) => Facts.First(f => f.Value == fact).Key;

    public static string Symbol(Comparison comparison) => comparison switch
    {
        Comparison.Greater => ">",
        Comparison.GreaterOrEqual => ">=",
        Comparison.Less => "<",
        Comparison.LessOrEqual => "<=",
        Comparison.Equal => "=",
        _ => "!=",
    };

    public static string Number(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}

/// <summary>A client fact compared with a number: <c>revenue &gt;= 100000</c>, <c>rfm.r &gt;= 4</c>, <c>revenue.trend &lt; -20%</c>.</summary>
internal sealed record FactCondition(Fact Fact, Comparison Comparison, decimal Value) : SegmentRule
{
    /// <summary>Whether the value is a percentage (the trend).</summary>
    public bool Percent => Fact == Fact.RevenueTrend;

    public override string ToString() =>
        $"{RuleWords.Name(Fact)} {RuleWords.Symbol(Comparison)} {RuleWords.Number(Value)}{(Percent ? "%" : "")}";
}

/// <summary>An hour range of the day, in minutes from midnight; the end is excluded, and a range whose end is before its
/// start wraps midnight (<c>20-08</c> is 20:00 to 08:00 the next morning).</summary>
internal readonly record struct HourRange(int From, int To)
{
    public bool Wraps => To <= From;

    public static string Clock(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    public override string ToString() =>
        (From % 60 == 0 && To % 60 == 0 ? $"{From / 60:00}-{To / 60:00}" : $"{Clock(From)}-{Clock(To)}");
}

/// <summary>Which of a client's activities a contact measure counts: a window of days and optional filters.</summary>
/// <param name="Group">The word before the dot: <c>calls</c>, <c>activities</c>, …</param>
/// <param name="Days">The window: the activities of the last this many days, today included.</param>
internal sealed record ContactFilter(string Group, int Days, HourRange? Hours = null, string? Kind = null, string? Channel = null, string? Direction = null)
{
    public bool HasFilters => Hours is not null || Kind is not null || Channel is not null || Direction is not null;

    /// <summary>The arguments as written: <c>hour 20-08, 90d</c>.</summary>
    public string Arguments()
    {
        var parts = new List<string>();
        if (Hours is { } hours)
        {
            parts.Add("hour " + hours);
        }

        if (Kind is not null)
        {
            parts.Add("kind " + Quote(Kind));
        }

        if (Channel is not null)
        {
            parts.Add("channel " + Quote(Channel));
        }

        if (Direction is not null)
        {
            parts.Add("direction " + Direction);
        }

        parts.Add(Days.ToString(CultureInfo.InvariantCulture) + "d");
        return string.Join(", ", parts);
    }

    /// <summary>In words: <c>calls between 20:00 and 08:00 in 90 days</c>.</summary>
    public string Describe()
    {
        var text = Group.ToLowerInvariant().Replace('_', ' ');
        if (Kind is not null)
        {
            text += " of kind " + Kind;
        }

        if (Channel is not null)
        {
            text += " by " + Channel;
        }

        if (Direction is not null)
        {
            text += Direction == "in" ? " incoming" : " outgoing";
        }

        if (Hours is { } hours)
        {
            text += $" between {HourRange.Clock(hours.From)} and {HourRange.Clock(hours.To)}";
        }

        return text + " in " + Days.ToString(CultureInfo.InvariantCulture) + " days";
    }

    private static string Quote(string value) =>
        value.All(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.') ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>A count or share of a client's activities compared with a number: <c>calls.share(hour 20-08, 90d) &gt; 70%</c>.</summary>
/// <param name="Share">A share of the group's activities in the window (in percent) rather than a count.</param>
internal sealed record ContactCondition(ContactFilter Filter, bool Share, Comparison Comparison, decimal Value) : SegmentRule
{
    public override string ToString() =>
        $"{Filter.Group.ToLowerInvariant()}.{(Share ? "share" : "count")}({Filter.Arguments()}) {RuleWords.Symbol(Comparison)} {RuleWords.Number(Value)}{(Share ? "%" : "")}";
}

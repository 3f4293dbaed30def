using System.Globalization;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Store;

namespace CrmExtensions.Mail.Segments;

/// <summary>A rule that does not read: where (1-based character position) and what is wrong.</summary>
internal sealed class SegmentRuleException(string rule, int position, string problem)
    : CrmException($"Rule error at position {position}{Near(rule, position)}: {problem}")
{
    public string Rule { get; } = rule;

    public int Position { get; } = position;

    public string Problem { get; } = problem;

    private static string Near(string rule, int position)
    {
        if (position > rule.Length)
        {
            return " (end of rule)";
        }

        var rest = rule[(position - 1)..];
        return $" ('{(rest.Length > 20 ? rest[..20] + "…" : rest)}')";
    }
}

/// <summary>
/// Reads the text syntax of behaviour segments into a <see cref="SegmentRule"/> tree:
/// <code>
/// rule       = term { "or" term }
/// term       = factor { "and" factor }
/// factor     = "not" factor | "(" rule ")" | condition
/// condition  = KIND "=" VALUE                              overdue=yes, tag="source=выставка", segment=night-callers
///            | FACT OP NUMBER                               revenue >= 100000, rfm.r >= 4, revenue.trend &lt; -20%
///            | GROUP "." ("count" | "share") "(" [ARG {"," ARG}] ")" OP NUMBER
///                                                           calls.share(hour 20-08, 90d) > 70%
/// ARG        = "hour" HH[:MM]-HH[:MM] | "kind" VALUE | "channel" VALUE | "direction" ("in" | "out") | DAYS "d"
/// OP         = ">" | ">=" | "&lt;" | "&lt;=" | "=" | "!="
/// </code>
/// Words are case-insensitive; a VALUE with spaces, parentheses, commas or quotes is written in double or single quotes,
/// the quote doubled inside. Values stay values: they become SQL parameters, never SQL text.
/// </summary>
internal sealed class SegmentRuleParser
{
    /// <summary>The window of a contact measure that names none.</summary>
    public const int DefaultDays = 90;

    /// <summary>The longest window a contact measure may name, in days (ten years).</summary>
    public const int MaxDays = 3660;

    /// <summary>For help and errors: what a condition may be.</summary>
    public const string Conditions = "KIND=VALUE (" + Segment.Usage + "), a fact (rfm.r, rfm.f, rfm.m, " +
        "days_since_purchase, revenue, revenue.trend, overdue.amount, overdue.days) compared with a number, or " +
        "GROUP.count(…)/GROUP.share(…) of activities (GROUP: activities, calls, meetings, emails, letters, web_forms, notes)";

    private const int MaxDepth = 32;

    private readonly string _text;
    private int _at;
    private int _depth;

    private SegmentRuleParser(string text) => _text = text;

    /// <summary>Parses a rule.</summary>
    /// <exception cref="SegmentRuleException">The rule does not read; the message names the position and the problem.</exception>
    public static SegmentRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new SegmentRuleParser(text);
        parser.SkipSpace();
        if (parser.AtEnd)
        {
            throw parser.Error("the rule is empty; write a condition such as overdue=yes or calls.share(hour 20-08, 90d) > 70%");
        }

        var rule = parser.Or();
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            throw parser.Error(parser.Peek() == ')' ? "')' without its '('" : "expected 'and', 'or' or the end of the rule");
        }

        return rule;
    }

    private bool AtEnd => _at >= _text.Length;

    private char Peek() => AtEnd ? '\0' : _text[_at];

    private SegmentRuleException Error(string problem, int? at = null) => new(_text, (at ?? _at) + 1, problem);

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }

    private SegmentRule Or()
    {
        var items = new List<SegmentRule> { And() };
        while (Keyword("or"))
        {
            items.Add(And());
        }

        return items.Count == 1 ? items[0] : new AnyOf(items);
    }

    private SegmentRule And()
    {
        var items = new List<SegmentRule> { Factor() };
        while (Keyword("and"))
        {
            items.Add(Factor());
        }

        return items.Count == 1 ? items[0] : new AllOf(items);
    }

    private SegmentRule Factor()
    {
        SkipSpace();
        if (++_depth > MaxDepth)
        {
            throw Error($"the rule nests deeper than {MaxDepth} levels");
        }

        try
        {
            if (Keyword("not"))
            {
                return new NotRule(Factor());
            }

            SkipSpace();
            if (Peek() == '(')
            {
                var open = _at++;
                var inner = Or();
                SkipSpace();
                if (Peek() != ')')
                {
                    throw Error(AtEnd ? $"the '(' at position {open + 1} is not closed" : "expected ')', 'and' or 'or'");
                }

                _at++;
                return inner;
            }

            return Condition();
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>Consumes a keyword (a whole word, any case) if it comes next.</summary>
    private bool Keyword(string word)
    {
        SkipSpace();
        if (_at + word.Length > _text.Length || string.Compare(_text, _at, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        var after = _at + word.Length;
        if (after < _text.Length && IsWordChar(_text[after]))
        {
            return false;
        }

        _at = after;
        return true;
    }

    private static bool IsWordChar(char ch) => !char.IsWhiteSpace(ch) && ch is not ('(' or ')' or ',' or '<' or '>' or '=' or '!' or '"' or '\'');

    private string Word()
    {
        SkipSpace();
        var start = _at;
        while (!AtEnd && IsWordChar(_text[_at]))
        {
            _at++;
        }

        return _text[start.._at];
    }

    private SegmentRule Condition()
    {
        var start = _at;
        var word = Word();
        if (word.Length == 0)
        {
            throw Error(AtEnd ? "a condition is missing at the end of the rule" : $"expected a condition: {Conditions}");
        }

        if (word.Equals("and", StringComparison.OrdinalIgnoreCase) || word.Equals("or", StringComparison.OrdinalIgnoreCase))
        {
            throw Error($"'{word}' needs a condition before it", start);
        }

        if (Peek() == '(')
        {
            return Contact(word, start);
        }

        if (RuleWords.Facts.TryGetValue(word, out var fact))
        {
            var comparison = Operator(word);
            var (value, percent, at) = Number();
            if (fact == Fact.RevenueTrend && !percent)
            {
                throw Error("revenue.trend is compared with a percentage, such as -20%", at);
            }

            if (fact != Fact.RevenueTrend && percent)
            {
                throw Error($"{word} is compared with a plain number, not a percentage", at);
            }

            if (fact is Fact.RfmRecency or Fact.RfmFrequency or Fact.RfmMonetary && (value < 1 || value > 5 || value != decimal.Truncate(value)))
            {
                throw Error($"{word} is a score from 1 to 5", at);
            }

            if (fact is Fact.DaysSincePurchase or Fact.OverdueDays && (value < 0 || value != decimal.Truncate(value) || value > MaxDays * 10))
            {
                throw Error($"{word} is compared with a whole number of days", at);
            }

            return new FactCondition(fact, comparison, value);
        }

        SkipSpace();
        if (Peek() != '=')
        {
            throw Error(RuleWords.Groups.ContainsKey(word.Split('.')[0]) && word.Contains('.', StringComparison.Ordinal)
                ? $"'{word}' needs its arguments in parentheses, such as {word}(90d)"
                : $"'{word}' is not a condition; expected {Conditions}", start);
        }

        _at++;
        var value2 = Value("a value after '='");
        try
        {
            return new SegmentLeaf(Segment.Parse(word + "=" + value2));
        }
        catch (CrmException ex)
        {
            throw Error(ex.Message, start);
        }
    }

    private Comparison Operator(string after)
    {
        SkipSpace();
        var start = _at;
        string[] symbols = [">=", "<=", "!=", "<>", ">", "<", "="];
        var symbol = symbols.FirstOrDefault(s => string.CompareOrdinal(_text, _at, s, 0, s.Length) == 0)
            ?? throw Error($"expected a comparison (>, >=, <, <=, =, !=) after '{after}'", start);
        _at += symbol.Length;
        return symbol switch
        {
            ">=" => Comparison.GreaterOrEqual,
            "<=" => Comparison.LessOrEqual,
            "!=" or "<>" => Comparison.NotEqual,
            ">" => Comparison.Greater,
            "<" => Comparison.Less,
            _ => Comparison.Equal,
        };
    }

    private (decimal Value, bool Percent, int At) Number()
    {
        SkipSpace();
        var start = _at;
        var word = Word();
        var percent = word.EndsWith('%');
        var digits = (percent ? word[..^1] : word).Replace("_", "", StringComparison.Ordinal);
        if (word.Length == 0 || !decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(word.Length == 0 ? "expected a number" : $"'{word}' is not a number (write 100000, 12.5 or 70%)", start);
        }

        if (Math.Abs(value) > 1_000_000_000_000m)
        {
            throw Error($"'{word}' is out of range", start);
        }

        return (value, percent, start);
    }

    /// <summary>A value: quoted ('…' or "…", the quote doubled inside), or a run of characters up to a space, ')' or ','.</summary>
    private string Value(string what)
    {
        SkipSpace();
        if (Peek() is '"' or '\'')
        {
            var quote = _text[_at];
            var open = _at++;
            var sb = new System.Text.StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error($"the quote at position {open + 1} is not closed", open);
                }

                if (_text[_at] == quote)
                {
                    if (_at + 1 < _text.Length && _text[_at + 1] == quote)
                    {
                        sb.Append(quote);
                        _at += 2;
                        continue;
                    }

                    _at++;
                    return sb.ToString();
                }

                sb.Append(_text[_at++]);
            }
        }

        var start = _at;
        while (!AtEnd && !char.IsWhiteSpace(_text[_at]) && _text[_at] is not (')' or ','))
        {
            _at++;
        }

        return _at > start ? _text[start.._at] : throw Error($"expected {what}");
    }

    private ContactCondition Contact(string word, int start)
    {
        var dot = word.LastIndexOf('.');
        var group = dot < 0 ? word : word[..dot];
        var measure = dot < 0 ? "" : word[(dot + 1)..].ToLowerInvariant();
        if (!RuleWords.Groups.ContainsKey(group))
        {
            throw Error($"'{group}' is not a group of activities; use {string.Join(", ", RuleWords.Groups.Keys)}", start);
        }

        if (measure is not ("count" or "share"))
        {
            throw Error($"expected {group}.count(…) or {group}.share(…)", start);
        }

        _at++; // (
        var filter = new ContactFilter(group.ToLowerInvariant(), DefaultDays);
        var days = false;
        SkipSpace();
        while (Peek() != ')')
        {
            if (AtEnd)
            {
                throw Error($"the '(' of {word} is not closed");
            }

            filter = Argument(filter, ref days);
            SkipSpace();
            if (Peek() == ',')
            {
                _at++;
                SkipSpace();
            }
            else if (Peek() != ')')
            {
                throw Error(AtEnd ? $"the '(' of {word} is not closed" : "expected ',' or ')'");
            }
        }

        _at++;
        var share = measure == "share";
        if (share && !filter.HasFilters)
        {
            throw Error($"{word} needs what to take the share of: hour, kind, channel or direction (all of them are 100%)", start);
        }

        var comparison = Operator(word + "(…)");
        var (value, percent, at) = Number();
        if (share && !percent)
        {
            throw Error("a share is compared with a percentage, such as 70%", at);
        }

        if (share && (value < 0 || value > 100))
        {
            throw Error("a share is between 0% and 100%", at);
        }

        if (!share && (percent || value < 0 || value != decimal.Truncate(value)))
        {
            throw Error("a count is compared with a whole number", at);
        }

        return new ContactCondition(filter, share, comparison, value);
    }

    private ContactFilter Argument(ContactFilter filter, ref bool days)
    {
        var start = _at;
        var word = Word();
        var lower = word.ToLowerInvariant();
        if (lower.EndsWith('d') && int.TryParse(lower[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            if (days)
            {
                throw Error("the window is given twice", start);
            }

            if (n < 1 || n > MaxDays)
            {
                throw Error($"a window is 1 to {MaxDays} days", start);
            }

            days = true;
            return filter with { Days = n };
        }

        switch (lower)
        {
            case "hour":
                return filter.Hours is null ? filter with { Hours = Hours() } : throw Error("hour is given twice", start);
            case "kind":
                var kindText = Value("an activity kind after 'kind'");
                var kind = Store.Activities.ActivityKinds.TryParse(kindText, out var known) ? known : kindText;
                return filter.Kind is null ? filter with { Kind = kind } : throw Error("kind is given twice", start);
            case "channel":
                var channel = Value("a channel after 'channel'");
                return filter.Channel is null ? filter with { Channel = channel } : throw Error("channel is given twice", start);
            case "direction":
                SkipSpace();
                var at = _at;
                var direction = Value("in or out after 'direction'").ToLowerInvariant();
                return direction is "in" or "out"
                    ? filter.Direction is null ? filter with { Direction = direction } : throw Error("direction is given twice", start)
                    : throw Error($"direction is 'in' or 'out', not '{direction}'", at);
            case "":
                throw Error("expected an argument: hour HH-HH, kind KIND, channel CHANNEL, direction in|out or a window such as 90d");
            default:
                throw Error($"'{word}' is not an argument; use hour HH-HH, kind KIND, channel CHANNEL, direction in|out or a window such as 90d", start);
        }
    }

    private HourRange Hours()
    {
        SkipSpace();
        var start = _at;
        var word = Word();
        var dash = word.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !TryClock(word[..dash], out var from) || !TryClock(word[(dash + 1)..], out var to))
        {
            throw Error($"'{word}' is not an hour range; write 20-08 or 20:30-08:00 (end excluded, wrapping midnight when it is earlier)", start);
        }

        return from == to ? throw Error("an hour range from an hour to the same hour is empty", start) : new HourRange(from, to);
    }

    private static bool TryClock(string text, out int minutes)
    {
        minutes = 0;
        var parts = text.Split(':');
        if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours > 24)
        {
            return false;
        }

        var m = 0;
        if (parts.Length == 2 && (parts[1].Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out m) || m > 59))
        {
            return false;
        }

        minutes = hours * 60 + m;
        return minutes <= 24 * 60 && (minutes %= 24 * 60) >= 0;
    }
}

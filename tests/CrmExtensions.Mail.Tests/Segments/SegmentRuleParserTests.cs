using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Mail.Segments;

namespace CrmExtensions.Mail.Tests.Segments;

public sealed class SegmentRuleParserTests
{
    [Test]
    public void Parse_NightCallsRule_ReadsTheTreeWithItsFilters()
    {
        var rule = SegmentRuleParser.Parse("CALLS.share(hour 20-08, 90d) > 70% and not overdue=yes");

        Assert.That(rule, Is.TypeOf<AllOf>());
        var contact = (ContactCondition)rule.Parts[0];
        Assert.That(contact.Filter, Is.EqualTo(new ContactFilter("calls", 90, new HourRange(20 * 60, 8 * 60))));
        Assert.That(contact.Filter.Hours!.Value.Wraps, Is.True);
        Assert.That((contact.Share, contact.Comparison, contact.Value), Is.EqualTo((true, Comparison.Greater, 70m)));
        Assert.That(((SegmentLeaf)((NotRule)rule.Parts[1]).Item).Segment, Is.EqualTo(new Segment("overdue", "yes")));
    }

    [Test]
    public void Parse_AndBindsBeforeOr_ParenthesesOverride()
    {
        var plain = SegmentRuleParser.Parse("abc=A and overdue=no or tag=vip");
        var grouped = SegmentRuleParser.Parse("abc=A and (overdue=no or tag=vip)");

        Assert.That(plain, Is.TypeOf<AnyOf>());
        Assert.That(plain.Parts[0], Is.TypeOf<AllOf>());
        Assert.That(grouped, Is.TypeOf<AllOf>());
        Assert.That(grouped.Parts[1], Is.TypeOf<AnyOf>());
        Assert.That(grouped.ToString(), Is.EqualTo("abc=A and (overdue=no or tag=vip)"));
    }

    [TestCase("calls.share(hour 20-08, 90d) > 70% and not overdue=yes")]
    [TestCase("not (rfm.r >= 4 or rfm.f = 5) and rfm.m != 1")]
    [TestCase("days_since_purchase > 180 and revenue >= 100000.5 and revenue.trend < -20%")]
    [TestCase("overdue.amount > 0 and overdue.days >= 30 or segment=night-callers")]
    [TestCase("activities.count(hour 09:30-18:00, kind meeting, channel \"in person\", direction out, 30d) >= 2")]
    [TestCase("region=\"Санкт-Петербург\" and tag=\"source=выставка; 2026\" and tag='it''s'")]
    public void ToString_ParsedRule_ReadsBackToTheSameTree(string text)
    {
        var rule = SegmentRuleParser.Parse(text);

        var again = SegmentRuleParser.Parse(rule.ToString()!);

        Assert.That(again.ToString(), Is.EqualTo(rule.ToString()));
        Assert.That(Describe(again), Is.EqualTo(Describe(rule)));
    }

    private static string Describe(SegmentRule rule) =>
        rule.GetType().Name + "(" + string.Join(",", rule.Parts.Select(Describe)) + (rule.Parts.Count == 0 ? rule.ToString() : "") + ")";

    [Test]
    public void Parse_TheExamplesOfTheDocs_AllRead()
    {
        var docs = File.ReadAllText(Path.Combine(Testing.TestEnvironment.RepoRoot, "docs", "marketing.md"));
        var block = docs[docs.IndexOf("Examples:", StringComparison.Ordinal)..];
        block = block[(block.IndexOf("```", StringComparison.Ordinal) + 3)..];
        var examples = block[..block.IndexOf("```", StringComparison.Ordinal)].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split("  ", 2)[0]).ToList();

        Assert.That(examples, Has.Count.GreaterThanOrEqualTo(5));
        Assert.Multiple(() =>
        {
            foreach (var example in examples)
            {
                Assert.DoesNotThrow(() => SegmentRuleParser.Parse(example), example);
            }
        });
    }

    [Test]
    public void Parse_QuotedValueWithSqlInIt_IsOneValue()
    {
        var rule = SegmentRuleParser.Parse("tag=\"x'; DROP TABLE clients; -- ' OR 1=1 --\"");

        // tag=NAME=VALUE: the first '=' of the value splits the tag's name from its value; both stay values.
        Assert.That(((SegmentLeaf)rule).Segment, Is.EqualTo(new Segment("tag", "x'; DROP TABLE clients; -- ' OR 1", "1 --")));
    }

    [TestCase("", 1, "the rule is empty")]
    [TestCase("overdue=yes and", 16, "a condition is missing at the end of the rule")]
    [TestCase("(overdue=yes or abc=A", 22, "the '(' at position 1 is not closed")]
    [TestCase("overdue=yes)", 12, "')' without its '('")]
    [TestCase("overdue=maybe", 1, "overdue takes yes or no")]
    [TestCase("colour=red", 1, "unknown kind 'colour'")]
    [TestCase("calls.share(hour 20-08, 90d) > 0.7", 32, "a share is compared with a percentage, such as 70%")]
    [TestCase("calls.share(90d) > 70%", 1, "needs what to take the share of")]
    [TestCase("calls.count(hour 25-08) > 1", 18, "'25-08' is not an hour range")]
    [TestCase("calls.count(hour 20-20) > 1", 18, "is empty")]
    [TestCase("calls.count(90d, 30d) > 1", 18, "the window is given twice")]
    [TestCase("calls.count(direction sideways) > 1", 23, "direction is 'in' or 'out', not 'sideways'")]
    [TestCase("calls.count(colour red) > 1", 13, "'colour' is not an argument")]
    [TestCase("calls.count(90d > 1", 17, "expected ',' or ')'")]
    [TestCase("faxes.count(90d) > 1", 1, "'faxes' is not a group of activities")]
    [TestCase("calls.count(90d) > 2.5", 20, "a count is compared with a whole number")]
    [TestCase("rfm.r >= 6", 10, "rfm.r is a score from 1 to 5")]
    [TestCase("revenue.trend < -20", 17, "revenue.trend is compared with a percentage")]
    [TestCase("revenue >> 5", 10, "expected a number")]
    [TestCase("revenue > 5k", 11, "'5k' is not a number")]
    [TestCase("revenue lots", 9, "expected a comparison")]
    [TestCase("tag=\"open", 5, "the quote at position 5 is not closed")]
    [TestCase("overdue=yes abc=A", 13, "expected 'and', 'or' or the end of the rule")]
    [TestCase("and overdue=yes", 1, "'and' needs a condition before it")]
    [TestCase("calls.share > 70%", 1, "'calls.share' needs its arguments in parentheses")]
    public void Parse_RuleThatDoesNotRead_NamesThePositionAndTheProblem(string text, int position, string problem)
    {
        var ex = Assert.Throws<SegmentRuleException>(() => SegmentRuleParser.Parse(text));

        Assert.That(ex!.Position, Is.EqualTo(position), ex.Message);
        Assert.That(ex.Message, Does.StartWith($"Rule error at position {position}").And.Contain(problem));
    }

    [Test]
    public void Parse_DeeplyNestedRule_IsRefusedNotOverflowed()
    {
        var text = string.Concat(Enumerable.Repeat("not ", 1000)) + "overdue=yes";

        var ex = Assert.Throws<SegmentRuleException>(() => SegmentRuleParser.Parse(text));

        Assert.That(ex!.Problem, Does.Contain("nests deeper than"));
    }
}

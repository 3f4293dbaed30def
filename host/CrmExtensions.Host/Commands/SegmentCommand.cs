using System.Globalization;
using CrmExtensions.Application.Segments;
using CrmExtensions.Host.Cli;
using CrmExtensions.Mail.Segments;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx segment …</c>: named behaviour segments — rules over client facts and the contact log.</summary>
internal static class SegmentCommand
{
    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    private const string Syntax = $"""
        RULE is conditions joined with 'and', 'or', 'not' and parentheses ('and' binds first). A condition is one of:
          KIND=VALUE       any --segment condition: overdue=yes, abc=A, stage=expansion, tag=vip, region="Санкт-Петербург",
                           segment=OTHER (another stored segment)
          FACT OP NUMBER   rfm.r, rfm.f, rfm.m (scores 1-5, 5 best), days_since_purchase, revenue (last 12 months),
                           revenue.trend (%, against the 12 months before), overdue.amount, overdue.days
          GROUP.count(ARGS) OP N  /  GROUP.share(ARGS) OP N%
                           GROUP: activities, calls, meetings, emails, letters, web_forms, notes; ARGS, comma-separated:
                           hour 20-08 (local time, end excluded, wraps midnight), kind KIND, channel CHANNEL,
                           direction in|out, and the window 90d (default 90 days, today included)
        OP is >, >=, <, <=, = or !=. A value with spaces, parentheses, commas or quotes goes in quotes ("…" or '…', doubled inside).
        Example: crmx segment add night-callers "calls.share(hour 20-08, 90d) > 70% and not overdue=yes"
        """;

    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("segment", "Named behaviour segments: rules over RFM, revenue, debt, tags and the contact log, usable as --segment segment=NAME.")
            .With(Add(context), List(context), Show(context), Count(context), Explain(context), Remove(context));

    private static CrmxCommand Add(CommandContext context)
    {
        var replace = Opt.Flag("--replace", "change the rule of a segment stored under NAME");
        var name = Opt.One("NAME", "the segment's name: " + SegmentService.NameRule);
        var rule = Opt.One("RULE", "the rule, in quotes");
        return new CrmxCommand("add", "Store a behaviour segment: a rule under a name, checked and counted.")
        {
            Details = Syntax + "\nThe rule is checked (a problem is named with its position), compiled against the store and counted before it is saved.",
        }.With(replace, name, rule).Runs(context, async (run, cancellationToken) =>
        {
            var (segment, count) = await run.Service<SegmentService>().AddAsync(run.Get(name), run.Get(rule), run.Get(replace), Environment.UserName, cancellationToken)
                .ConfigureAwait(false);
            run.Out.WriteLine($"Stored segment '{segment.Definition.Name}': {segment.Definition.RuleText}");
            run.Out.WriteLine($"{count.ToString("N0", Russian)} client(s) today. Use it as --segment segment={segment.Definition.Name}.");
            return 0;
        });
    }

    private static CrmxCommand List(CommandContext context) =>
        new CrmxCommand("list", "List the stored segments with their rules.").Runs(context, async (run, cancellationToken) =>
        {
            var all = await run.Service<SegmentService>().ListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var d in all)
            {
                run.Out.WriteLine($"{d.Name,-24} {d.RuleText}");
            }

            run.Out.WriteLine(all.Count == 0 ? "No stored segments; 'crmx segment add NAME \"RULE\"' stores one." : $"{all.Count} segment(s).");
            return 0;
        });

    private static CrmxCommand Show(CommandContext context)
    {
        var name = Opt.One("NAME");
        return new CrmxCommand("show", "Show a stored segment: its rule, who saved it and when, and the rule's tree.").With(name).Runs(context, async (run, cancellationToken) =>
        {
            var view = await run.Service<SegmentService>().ShowAsync(run.Get(name), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Segment {view.Definition.Name}");
            run.Out.WriteLine($"  Rule:  {view.Definition.RuleText}");
            run.Out.WriteLine($"  Saved: {view.Definition.UpdatedAt}{(view.Definition.CreatedBy is { } by ? " by " + by : "")}");
            run.Out.WriteLine("  Tree:");
            Tree(run.Out, view.Rule, 2);
            return 0;
        });
    }

    private static void Tree(TextWriter output, SegmentRule rule, int depth)
    {
        var indent = new string(' ', depth * 2);
        switch (rule)
        {
            case AllOf or AnyOf or NotRule:
                output.WriteLine(indent + (rule is AllOf ? "all of" : rule is AnyOf ? "any of" : "not"));
                foreach (var part in rule.Parts)
                {
                    Tree(output, part, depth + 1);
                }

                break;
            default:
                output.WriteLine(indent + rule);
                break;
        }
    }

    private static CrmxCommand Count(CommandContext context)
    {
        var name = Opt.One("NAME");
        var list = Opt.Flag("--list", "also print the clients' ids");
        return new CrmxCommand("count", "Count the clients of a stored segment today.").With(list, name).Runs(context, async (run, cancellationToken) =>
        {
            var members = await run.Service<SegmentService>().MembersAsync(run.Get(name), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Segment {run.Get(name)}: {members.Count.ToString("N0", Russian)} client(s).");
            if (run.Get(list) && members.Count > 0)
            {
                run.Out.WriteLine(string.Join(' ', members.Select(m => m.ToString(CultureInfo.InvariantCulture))));
            }

            return 0;
        });
    }

    private static CrmxCommand Explain(CommandContext context)
    {
        var name = Opt.One("NAME");
        var client = Opt.One("CLIENT", "a client id, an INN, LEDGER:ID or part of a name");
        return new CrmxCommand("explain", "Show, for one client, each condition of a segment, whether it is met, and the values.")
        {
            Details = "Stored segments the rule names (segment=OTHER) are opened up beneath it. Values are today's, as the segment counts them.",
        }.With(name, client).Runs(context, async (run, cancellationToken) =>
        {
            var e = await run.Service<SegmentService>().ExplainAsync(run.Get(name), run.Get(client), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Client {e.Client.ClientId} {e.Client.DisplayName} is {(e.Member ? "in" : "not in")} segment {e.Name}.");
            foreach (var line in e.Lines)
            {
                run.Out.WriteLine($"{new string(' ', 2 + line.Depth * 2)}{line.Text} — {(line.Met ? "yes" : "no")}");
            }

            return 0;
        });
    }

    private static CrmxCommand Remove(CommandContext context)
    {
        var name = Opt.One("NAME");
        return new CrmxCommand("remove", "Remove a stored segment that no other stored segment names.").With(name).Runs(context, async (run, cancellationToken) =>
        {
            await run.Service<SegmentService>().RemoveAsync(run.Get(name), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Removed segment '{run.Get(name)}'.");
            return 0;
        });
    }
}

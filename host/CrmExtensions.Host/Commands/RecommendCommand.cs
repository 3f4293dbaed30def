using CrmExtensions.Application.Recommendations;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx recommend …</c>: cross-sell recommendations per client, repeat-purchase reminders, offline evaluation.</summary>
internal static class RecommendCommand
{
    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("recommend", "Cross-sell: what each client would buy next and why, repeat purchases that are due, and how well it predicts.")
        {
            Details = """
                Products bought together by unified clients (item-to-item co-occurrence over the mapped invoice lines), with
                lift, Jaccard and a minimum support ('recommendations:minSupport'; by default the natural logarithm of the
                number of buying clients, at least 2). See docs/marketing.md.
                """,
        }.With(Show(context), Repeat(context), Evaluate(context));

    private static CrmxCommand Show(CommandContext context) => ForClient(context, "show",
        "A client's recommendations with their reasons, its repeat purchases that are due, and what it bought.",
        "CLIENT is a client id, an INN, LEDGER:ID of a member, or part of a name.",
        "the day repeat purchases are judged on (default: today)",
        (output, r) =>
        {
            RecommendationText.CrossSell(output, r.CrossSell, r.MinSupport, r.Bought.Count);
            RecommendationText.Repeats(output, r.Repeats);
            RecommendationText.Bought(output, r.Bought);
        });

    private static CrmxCommand Repeat(CommandContext context) => ForClient(context, "repeat",
        "A client's repeat purchases that are due: products it buys regularly and has not bought this cycle.",
        "The period is the median of the client's own intervals between purchase days (three days at least); see docs/marketing.md.",
        "the day to judge on (default: today)",
        (output, r) => RecommendationText.Repeats(output, r.Repeats, always: true));

    /// <summary>A subcommand on one client as of a day: prints the client's line, then what <paramref name="print"/> prints.</summary>
    private static CrmxCommand ForClient(CommandContext context, string name, string description, string details, string asOfDescription,
        Action<TextWriter, ClientRecommendations> print)
    {
        var asOf = Opt.Date("--as-of", asOfDescription);
        var client = Opt.One("CLIENT");
        return new CrmxCommand(name, description) { Details = details }.With(asOf, client).Runs(context, async (run, cancellationToken) =>
        {
            var r = await run.Service<RecommendationService>()
                .ShowAsync(run.Get(client), run.Get(asOf) ?? DateOnly.FromDateTime(context.Time.GetLocalNow().DateTime), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Client {r.Client.ClientId}: {r.Client.DisplayName}");
            print(run.Out, r);
            return 0;
        });
    }

    private static CrmxCommand Evaluate(CommandContext context)
    {
        var until = Opt.Date("--until", "train on invoices before this day, test on the days from it");
        until.Required = true;
        var days = Opt.Int("--days", "N", "the test period in days (default 90)", 90, 1, 3660);
        var minSupport = Opt.OptionalInt("--min-support", "N", "the fewest clients a pair needs (default: the setting, else derived from the base)", 1, 1_000_000);
        return new CrmxCommand("evaluate", "Offline evaluation: hit rate@10 and recall@10 for products new to each client, beside popularity and the client's own most-bought.")
        {
            Details = """
                Trains on the invoice lines dated before --until and tests on each client's purchases in the --days after it.
                A client counts for new products when it bought before --until and bought a product new to it in the test
                period. hit rate@10: share of those clients with at least one such product in the method's top 10;
                recall@10: mean share of their new products in it.
                """,
        }.With(until, days, minSupport).Runs(context, async (run, cancellationToken) =>
        {
            var e = await run.Service<RecommendationService>().EvaluateAsync(run.Get(until)!.Value, run.Get(days), run.Get(minSupport), cancellationToken).ConfigureAwait(false);
            RecommendationText.Evaluation(run.Out, e);
            return 0;
        });
    }
}

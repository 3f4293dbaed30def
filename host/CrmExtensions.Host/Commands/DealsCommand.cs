using System.Globalization;
using CrmExtensions.Application.Deals;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx deals …</c>: deals on clients, moving through the pipelines plugins define, past their guards.</summary>
internal static class DealsCommand
{

    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("deals", "Deals on clients: open, move through a plugin's pipeline (guards may refuse), list, show with history.")
            .With(Add(context), Move(context), List(context), Show(context));

    private static CrmxCommand Add(CommandContext context)
    {
        var client = Opt.Text("--client", "CLIENT", "the client (required): id, INN, LEDGER:ID or part of a name", required: true);
        var title = Opt.Text("--title", "TEXT", "what the deal is (required)", required: true);
        var pipeline = Opt.Text("--pipeline", "PIPELINE", "the pipeline (required)", required: true);
        var amount = Opt.Text("--amount", "AMOUNT", "the expected amount");
        var currency = Opt.Text("--currency", "CODE", "the amount's currency, e.g. RUB");
        var owner = Opt.Text("--owner", "NAME", "our manager responsible");
        var close = Opt.Date("--close", "expected close, yyyy-MM-dd");
        return new CrmxCommand("add", "Open a deal on a client in the first stage of a plugin's pipeline.")
        {
            Details = """
                Pipelines come from plugins ('crmx plugins list' shows them); name one as PIPELINE or PLUGIN/PIPELINE when two
                plugins use the same name. --amount takes Russian or English writing: 1 234,56 or 1,234.56.
                """,
        }.With(client, title, pipeline, amount, currency, owner, close).Runs(context, async (run, cancellationToken) =>
        {
            decimal? value = null;
            if (run.Get(amount) is { } amountText)
            {
                value = ValueConverter.TryConvert(ColumnType.Money, amountText, out var converted, out var error) && converted is long stored
                    ? Money.FromStored(stored)
                    : throw new UsageException($"--amount takes an amount such as 1 234,56, not '{amountText}'{(error is null ? "" : ": " + error)}");
            }

            var (deal, c, p) = await run.Service<DealService>().OpenAsync(new DealRequest
            {
                Client = run.Get(client)!,
                Title = run.Get(title)!,
                Pipeline = run.Get(pipeline)!,
                Amount = value,
                Currency = run.Get(currency),
                Owner = run.Get(owner),
                ExpectedClose = run.Get(close),
            }, cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine(DealText.Opened(deal, c, p));
            return 0;
        });
    }

    private static CrmxCommand Move(CommandContext context)
    {
        var to = Opt.Text("--to", "STAGE", "the stage to move to (required)", required: true);
        var by = Opt.Text("--by", "NAME", "who moves it (default: the signed-in user)");
        var deal = Opt.One("DEAL");
        return new CrmxCommand("move", "Move a deal to another stage, if its pipeline allows the move and no plugin's guard refuses it.")
        {
            Details = """
                DEAL is the deal's number (or id). Every loaded plugin's stage guards are asked; each refusal is printed as
                'refused by PLUGIN/GUARD: reason' and the command exits 1. A guard that throws or overruns its time budget
                ('plugins:callBudgetSeconds', default 10) refuses ('guard failed: …'); in process isolation the guards run in
                their plugin's worker, and a worker that dies, overruns or cannot start refuses for its plugin's guards
                ('guard failed: plugin 'X': …'). Moves made and refused are both kept in the deal's history ('crmx deals show').
                """,
        }.With(to, by, deal).Runs(context, async (run, cancellationToken) =>
        {
            var who = run.Get(by) ?? Environment.UserName;
            var move = await run.Service<DealService>().MoveAsync(run.Get(deal), run.Get(to)!, who, cancellationToken).ConfigureAwait(false);
            return DealText.PrintMove(run.Out, run.Error, move, who);
        });
    }

    private static CrmxCommand List(CommandContext context)
    {
        var client = Opt.Text("--client", "CLIENT", "only this client's");
        var stage = Opt.Text("--stage", "STAGE", "only deals in this stage");
        var owner = Opt.Text("--owner", "NAME", "only deals of owners whose name contains NAME");
        var limit = Opt.Int("--limit", "N", "how many (default 100)", 100, 1, 1_000_000);
        return new CrmxCommand("list", "List deals, newest first.").With(client, stage, owner, limit).Runs(context, async (run, cancellationToken) =>
        {
            var rows = await run.Service<DealService>().ListAsync(run.Get(client), run.Get(stage), run.Get(owner), run.Get(limit), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"{"deal",6}  {"stage",-16} {"amount",16}  {"close",-10}  {"owner",-16} client / title");
            foreach (var d in rows)
            {
                run.Out.WriteLine($"{d.Display,6}  {DealText.State(d),-16} {DealText.Amount(d),16}  {d.ExpectedClose ?? "-",-10}  {d.Owner ?? "-",-16} {d.ClientId} {d.ClientName} / {d.Title}");
            }

            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} deals."));
            return 0;
        });
    }

    private static CrmxCommand Show(CommandContext context)
    {
        var deal = Opt.One("DEAL");
        return new CrmxCommand("show", "Show a deal and its stage history, refused moves included.").With(deal).Runs(context, async (run, cancellationToken) =>
        {
            var deals = run.Service<DealService>();
            var d = await deals.FindAsync(run.Get(deal), cancellationToken).ConfigureAwait(false);
            var output = run.Out;
            var time = context.Time;
            output.WriteLine($"Deal {d.Display}: {d.Title}");
            output.WriteLine($"  client {d.ClientId} {d.ClientName} ({d.Ledger}:{d.CounterpartyId})");
            output.WriteLine($"  pipeline {d.Pipeline} ({d.PluginId}), stage {DealText.State(d)}");
            output.WriteLine($"  amount {DealText.Amount(d)}, owner {d.Owner ?? "-"}, expected close {d.ExpectedClose ?? "-"}");
            output.WriteLine($"  opened {Text.Local(d.CreatedAt, time)}{(d.ClosedAt is null ? "" : $", closed {Text.Local(d.ClosedAt, time)}")}; id {d.Id}");
            output.WriteLine("  History:");
            foreach (var m in await deals.HistoryAsync(d.Id, cancellationToken).ConfigureAwait(false))
            {
                output.WriteLine(m.WasRefused
                    ? $"    {Text.Local(m.MovedAt, time)}  REFUSED {m.FromStage} → {m.ToStage} for {m.MovedBy ?? "-"}: {m.Guard}: {m.Reason}"
                    : $"    {Text.Local(m.MovedAt, time)}  {m.FromStage} → {m.ToStage} by {m.MovedBy ?? "-"}");
            }

            return 0;
        });
    }
}

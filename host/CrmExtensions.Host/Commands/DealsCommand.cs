using System.Globalization;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Store;
using CrmExtensions.Store.Activities;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Deals;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx deals …</c>: deals on clients, moving through the pipelines plugins define, past their guards.</summary>
internal sealed class DealsCommand : CommandSpec
{
    public override string Name => "deals";

    public override string Summary => "Deals on clients: open, move through a plugin's pipeline (guards may refuse), list, show with history.";

    public override IReadOnlyList<CommandSpec> Subcommands { get; } = [new AddCommand(), new MoveCommand(), new ListCommand(), new ShowCommand()];

    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    private static Workspace OpenWorkspace(CommandContext context, ParsedArguments arguments)
    {
        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        workspace.Store.Migrate();
        return workspace;
    }

    private static PluginRuntime LoadPlugins(CommandContext context, Workspace workspace)
    {
        var directory = Path.GetFullPath(workspace.Configuration.Plugins.Directory, workspace.Configuration.BaseDirectory);
        return PluginRuntime.LoadAsync(directory, workspace.Store, cancellationToken: context.Cancellation).GetAwaiter().GetResult();
    }

    private static DealRow Find(DealStore deals, string term) =>
        deals.Find(term) ?? throw new CrmException($"No deal '{term}' (a deal number, or its id or the id's first six characters or more); 'crmx deals list' shows them.");

    private static string Amount(DealRow d) =>
        d.AmountValue is { } a ? a.ToString("N2", Russian) + (d.Currency is null ? "" : " " + d.Currency) : "-";

    private static string State(DealRow d) => d.Outcome is null ? d.Stage : $"{d.Stage} ({d.Outcome})";

    private sealed class AddCommand : CommandSpec
    {
        public override string Name => "add";

        public override string Summary => "Open a deal on a client in the first stage of a plugin's pipeline.";

        public override string Details =>
            """
            Pipelines come from plugins ('crmx plugins list' shows them); name one as PIPELINE or PLUGIN/PIPELINE when two
            plugins use the same name. --amount takes Russian or English writing: 1 234,56 or 1,234.56.
            """;

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("client", "CLIENT", "the client (required): id, INN, LEDGER:ID or part of a name"),
            new("title", "TEXT", "what the deal is (required)"),
            new("pipeline", "PIPELINE", "the pipeline (required)"),
            new("amount", "AMOUNT", "the expected amount"),
            new("currency", "CODE", "the amount's currency, e.g. RUB"),
            new("owner", "NAME", "our manager responsible"),
            new("close", "DATE", "expected close, yyyy-MM-dd"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var term = arguments.Get("client") ?? throw new UsageException("--client CLIENT is required");
            var title = arguments.Get("title") ?? throw new UsageException("--title TEXT is required");
            var pipelineName = arguments.Get("pipeline") ?? throw new UsageException("--pipeline PIPELINE is required");
            var close = arguments.GetDate("close");
            long? amount = null;
            if (arguments.Get("amount") is { } amountText)
            {
                amount = ValueConverter.TryConvert(ColumnType.Money, amountText, out var value, out var error) && value is long stored
                    ? stored
                    : throw new UsageException($"--amount takes an amount such as 1 234,56, not '{amountText}'{(error is null ? "" : ": " + error)}");
            }

            var workspace = OpenWorkspace(context, arguments);
            var client = ClientsCommand.Resolve(new ClientStore(workspace.Store), term);
            var anchor = new ActivityStore(workspace.Store).Anchor(client.ClientId)
                ?? throw new CrmException($"Client {client.ClientId} has no ledger rows left; open the deal on the client it was merged into.");
            using var runtime = LoadPlugins(context, workspace);
            var pipeline = Pipeline(runtime, pipelineName);
            var deal = new DealStore(workspace.Store).Open(new DealEntry
            {
                PluginId = pipeline.PluginId,
                Pipeline = pipeline.Name,
                Stage = pipeline.Definition.Stages[0],
                Title = title,
                ClientId = client.ClientId,
                Ledger = anchor.Ledger,
                CounterpartyId = anchor.CounterpartyId,
                Amount = amount is { } a ? Money.FromStored(a) : null,
                Currency = arguments.Get("currency"),
                Owner = arguments.Get("owner"),
                ExpectedClose = close,
            });
            context.Out.WriteLine($"Opened deal {deal.Display} '{deal.Title}' on client {client.ClientId} {client.DisplayName}: pipeline {pipeline.Name} ({pipeline.PluginId}), stage {deal.Stage}, amount {Amount(deal)}.");
            return 0;
        }

        private static PipelineInfo Pipeline(PluginRuntime runtime, string name)
        {
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            var found = runtime.Pipelines.Where(p => slash < 0
                ? string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
                : string.Equals(p.PluginId, name[..slash], StringComparison.OrdinalIgnoreCase) && string.Equals(p.Name, name[(slash + 1)..], StringComparison.OrdinalIgnoreCase)).ToList();
            var known = runtime.Pipelines.Count == 0 ? "none (no loaded plugin defines a pipeline; 'crmx plugins list' shows what is loaded)"
                : string.Join(", ", runtime.Pipelines.Select(p => $"{p.PluginId}/{p.Name}"));
            return found.Count switch
            {
                1 => found[0],
                0 => throw new CrmException($"No pipeline '{name}'; the plugins define: {known}."),
                _ => throw new CrmException($"Several plugins define a pipeline '{name}': {string.Join(", ", found.Select(p => p.PluginId + "/" + p.Name))}; name it as PLUGIN/PIPELINE."),
            };
        }
    }

    private sealed class MoveCommand : CommandSpec
    {
        public override string Name => "move";

        public override string Summary => "Move a deal to another stage, if its pipeline allows the move and no plugin's guard refuses it.";

        public override string? ArgumentsUsage => "DEAL";

        public override string Details =>
            """
            DEAL is the deal's number (or id). Every loaded plugin's stage guards are asked; each refusal is printed as
            'refused by PLUGIN/GUARD: reason' and the command exits 1. A guard that throws or overruns its time budget
            refuses ('guard failed: …'). Moves made and refused are both kept in the deal's history ('crmx deals show').
            """;

        public override IReadOnlyList<OptionSpec> Options =>
            [new("to", "STAGE", "the stage to move to (required)"), new("by", "NAME", "who moves it (default: the signed-in user)")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var term = arguments.Single("DEAL");
            var to = arguments.Get("to") ?? throw new UsageException("--to STAGE is required");
            var by = arguments.Get("by") ?? Environment.UserName;
            var workspace = OpenWorkspace(context, arguments);
            var deals = new DealStore(workspace.Store);
            var row = Find(deals, term);
            using var runtime = LoadPlugins(context, workspace);
            var pipeline = runtime.Pipelines.FirstOrDefault(p => p.PluginId == row.PluginId && p.Name == row.Pipeline)
                ?? throw new CrmException($"Deal {row.Display} follows pipeline '{row.Pipeline}' of plugin '{row.PluginId}', which is not loaded; see 'crmx plugins list'.");
            var stage = pipeline.Definition.Stages.FirstOrDefault(s => string.Equals(s, to, StringComparison.OrdinalIgnoreCase))
                ?? throw new CrmException($"Pipeline '{pipeline.Name}' has no stage '{to}'; its stages: {string.Join(", ", pipeline.Definition.Stages)}.");
            var move = new StageMove(row.Stage, stage);
            if (!pipeline.Allows(move))
            {
                var next = pipeline.NextStages(row.Stage);
                var reason = $"pipeline '{pipeline.Name}' does not allow a move from '{move.From}' to '{move.To}'; from '{move.From}' a deal may move to: " +
                    (next.Count == 0 ? "nowhere" : string.Join(", ", next));
                deals.RecordRefusal(row.Id, move.From, move.To, by, "pipeline " + pipeline.Name, reason);
                throw new CrmException($"Deal {row.Display} cannot move: {reason}.");
            }

            var deal = runtime.GetDealAsync(row.Id, context.Cancellation).GetAwaiter().GetResult()
                ?? throw new CrmException($"Deal {row.Display} vanished while being moved.");
            var refusals = runtime.CheckMoveAsync(deal, move, context.Cancellation).GetAwaiter().GetResult();
            if (refusals.Count > 0)
            {
                context.Error.WriteLine($"Deal {row.Display} stays in '{move.From}': the move to '{move.To}' was refused.");
                foreach (var refusal in refusals)
                {
                    deals.RecordRefusal(row.Id, move.From, move.To, by, refusal.Source, refusal.Reason);
                    context.Error.WriteLine($"refused by {refusal.Source}: {refusal.Reason}");
                }

                return 1;
            }

            var outcome = pipeline.Outcome(stage);
            if (!deals.Move(row.Id, move.From, move.To, by, outcome))
            {
                throw new CrmException($"Deal {row.Display} was moved by someone else meanwhile (it is no longer in '{move.From}'); look with 'crmx deals show {row.Display}' and try again.");
            }

            context.Out.WriteLine($"Deal {row.Display} moved from '{move.From}' to '{move.To}' by {by}{(outcome is null ? "" : $"; the deal is {outcome}")}.");
            return 0;
        }
    }

    private sealed class ListCommand : CommandSpec
    {
        public override string Name => "list";

        public override string Summary => "List deals, newest first.";

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("client", "CLIENT", "only this client's"),
            new("stage", "STAGE", "only deals in this stage"),
            new("owner", "NAME", "only deals of owners whose name contains NAME"),
            new("limit", "N", "how many (default 100)"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var limit = arguments.GetInt("limit", 100, 1, 1_000_000);
            var workspace = OpenWorkspace(context, arguments);
            var clientId = arguments.Get("client") is { } term ? ClientsCommand.Resolve(new ClientStore(workspace.Store), term).ClientId : (long?)null;
            var rows = new DealStore(workspace.Store).List(new DealFilter { ClientId = clientId, Stage = arguments.Get("stage"), Owner = arguments.Get("owner"), Limit = limit });
            context.Out.WriteLine($"{"deal",6}  {"stage",-16} {"amount",16}  {"close",-10}  {"owner",-16} client / title");
            foreach (var d in rows)
            {
                context.Out.WriteLine($"{d.Display,6}  {State(d),-16} {Amount(d),16}  {d.ExpectedClose ?? "-",-10}  {d.Owner ?? "-",-16} {d.ClientId} {d.ClientName} / {d.Title}");
            }

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} deals."));
            return 0;
        }
    }

    private sealed class ShowCommand : CommandSpec
    {
        public override string Name => "show";

        public override string Summary => "Show a deal and its stage history, refused moves included.";

        public override string? ArgumentsUsage => "DEAL";

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var workspace = OpenWorkspace(context, arguments);
            var deals = new DealStore(workspace.Store);
            var d = Find(deals, arguments.Single("DEAL"));
            var output = context.Out;
            output.WriteLine($"Deal {d.Display}: {d.Title}");
            output.WriteLine($"  client {d.ClientId} {d.ClientName} ({d.Ledger}:{d.CounterpartyId})");
            output.WriteLine($"  pipeline {d.Pipeline} ({d.PluginId}), stage {State(d)}");
            output.WriteLine($"  amount {Amount(d)}, owner {d.Owner ?? "-"}, expected close {d.ExpectedClose ?? "-"}");
            output.WriteLine($"  opened {Time(d.CreatedAt, context.Time)}{(d.ClosedAt is null ? "" : $", closed {Time(d.ClosedAt, context.Time)}")}; id {d.Id}");
            output.WriteLine("  History:");
            foreach (var m in deals.History(d.Id))
            {
                output.WriteLine(m.WasRefused
                    ? $"    {Time(m.MovedAt, context.Time)}  REFUSED {m.FromStage} → {m.ToStage} for {m.MovedBy ?? "-"}: {m.Guard}: {m.Reason}"
                    : $"    {Time(m.MovedAt, context.Time)}  {m.FromStage} → {m.ToStage} by {m.MovedBy ?? "-"}");
            }

            return 0;
        }

        private static string Time(string stored, TimeProvider time) => ActivityCommand.Local(
            DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal), time);
    }
}

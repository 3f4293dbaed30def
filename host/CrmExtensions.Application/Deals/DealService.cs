using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Internal;
using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Store;
using CrmExtensions.Store.Activities;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Deals;

namespace CrmExtensions.Application.Deals;

/// <summary>A deal to open: the client as a person types it, the pipeline as PIPELINE or PLUGIN/PIPELINE.</summary>
internal sealed record DealRequest
{
    public required string Client { get; init; }

    public required string Title { get; init; }

    public required string Pipeline { get; init; }

    public decimal? Amount { get; init; }

    public string? Currency { get; init; }

    public string? Owner { get; init; }

    public DateOnly? ExpectedClose { get; init; }
}

/// <summary>How a move ended: made (with the deal's outcome when the stage closes it), or refused by the plugins' guards.</summary>
internal sealed record DealMoveOutcome(DealRow Deal, StageMove Move, string? Outcome, IReadOnlyList<GuardRefusal> Refusals)
{
    public bool Moved => Refusals.Count == 0;
}

/// <summary>What the pipeline board shows: which deals, of which pipeline and whose.</summary>
internal sealed record DealBoardFilter
{
    /// <summary>One pipeline as PLUGIN/PIPELINE (or PIPELINE when only one plugin defines it); null for every pipeline.</summary>
    public string? Pipeline { get; init; }

    /// <summary>Part of the owner's name; null for everyone's.</summary>
    public string? Owner { get; init; }

    /// <summary>Only deals on clients whose manager this is (<c>web.managersSeeOnlyOwnClients</c>); null for every client.</summary>
    public string? ClientManager { get; init; }

    /// <summary>Only this client's deals.</summary>
    public long? ClientId { get; init; }

    /// <summary>How many deals at the most, newest first.</summary>
    public int Limit { get; init; } = 500;
}

/// <summary>The pipeline board: the pipelines to show with their stages, their deals newest first, and everyone who owns a deal.</summary>
/// <param name="More">True when more deals match than <see cref="DealBoardFilter.Limit"/>.</param>
internal sealed record DealBoard(IReadOnlyList<PipelineInfo> Pipelines, IReadOnlyList<PipelineInfo> AllPipelines, IReadOnlyList<DealRow> Deals, IReadOnlyList<string> Owners, bool More);

/// <summary>Deals on clients, moving through the pipelines plugins define, past every loaded plugin's guards.</summary>
internal sealed class DealService(CrmWorkspace workspace, ClientService clients)
{
    private DealStore Deals => new(workspace.Store);

    /// <summary>Opens a deal in the first stage of its pipeline.</summary>
    /// <exception cref="CrmException">The client or the pipeline cannot be found.</exception>
    public async Task<(DealRow Deal, ClientRow Client, PipelineInfo Pipeline)> OpenAsync(DealRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = await clients.ResolveAsync(request.Client, cancellationToken).ConfigureAwait(false);
        var anchor = new ActivityStore(workspace.Store).Anchor(client.ClientId)
            ?? throw new CrmException($"Client {client.ClientId} has no ledger rows left; open the deal on the client it was merged into.");
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        var pipeline = FindPipeline(runtime, request.Pipeline);
        var deal = Deals.Open(new DealEntry
        {
            PluginId = pipeline.PluginId,
            Pipeline = pipeline.Name,
            Stage = pipeline.Definition.Stages[0],
            Title = request.Title,
            ClientId = client.ClientId,
            Ledger = anchor.Ledger,
            CounterpartyId = anchor.CounterpartyId,
            Amount = request.Amount,
            Currency = request.Currency,
            Owner = request.Owner,
            ExpectedClose = request.ExpectedClose,
        });
        return (deal, client, pipeline);
    }

    /// <summary>Moves a deal if its pipeline allows the move and no loaded plugin's guard refuses it; refusals stay in its history.</summary>
    /// <exception cref="CrmException">No such deal or stage, the pipeline forbids the move, or someone moved the deal meanwhile.</exception>
    public async Task<DealMoveOutcome> MoveAsync(string dealTerm, string toStage, string movedBy, CancellationToken cancellationToken)
    {
        var deals = Deals;
        var row = await FindAsync(dealTerm, cancellationToken).ConfigureAwait(false);
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        var pipeline = runtime.Pipelines.FirstOrDefault(p => p.PluginId == row.PluginId && p.Name == row.Pipeline)
            ?? throw new CrmException($"Deal {row.Display} follows pipeline '{row.Pipeline}' of plugin '{row.PluginId}', which is not loaded; see 'crmx plugins list'.");
        var stage = pipeline.Definition.Stages.FirstOrDefault(s => string.Equals(s, toStage, StringComparison.OrdinalIgnoreCase))
            ?? throw new CrmException($"Pipeline '{pipeline.Name}' has no stage '{toStage}'; its stages: {string.Join(", ", pipeline.Definition.Stages)}.");
        var move = new StageMove(row.Stage, stage);
        if (!pipeline.Allows(move))
        {
            var next = pipeline.NextStages(row.Stage);
            var reason = $"pipeline '{pipeline.Name}' does not allow a move from '{move.From}' to '{move.To}'; from '{move.From}' a deal may move to: " +
                (next.Count == 0 ? "nowhere" : string.Join(", ", next));
            deals.RecordRefusal(row.Id, move.From, move.To, movedBy, "pipeline " + pipeline.Name, reason);
            throw new CrmException($"Deal {row.Display} cannot move: {reason}.");
        }

        var deal = await runtime.GetDealAsync(row.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new CrmException($"Deal {row.Display} vanished while being moved.");
        var refusals = await runtime.CheckMoveAsync(deal, move, cancellationToken).ConfigureAwait(false);
        if (refusals.Count > 0)
        {
            foreach (var refusal in refusals)
            {
                deals.RecordRefusal(row.Id, move.From, move.To, movedBy, refusal.Source, refusal.Reason);
            }

            return new DealMoveOutcome(row, move, null, refusals);
        }

        var outcome = pipeline.Outcome(stage);
        if (!deals.Move(row.Id, move.From, move.To, movedBy, outcome))
        {
            throw new CrmException($"Deal {row.Display} was moved by someone else meanwhile (it is no longer in '{move.From}'); look with 'crmx deals show {row.Display}' and try again.");
        }

        return new DealMoveOutcome(row, move, outcome, []);
    }

    /// <summary>Deals, newest first; <paramref name="client"/> as a person types it, or null for all.</summary>
    public async Task<IReadOnlyList<DealRow>> ListAsync(string? client, string? stage, string? owner, int limit, CancellationToken cancellationToken)
    {
        var clientId = client is null ? (long?)null : (await clients.ResolveAsync(client, cancellationToken).ConfigureAwait(false)).ClientId;
        return Deals.List(new DealFilter { ClientId = clientId, Stage = stage, Owner = owner, Limit = limit });
    }

    /// <summary>The pipelines the loaded plugins define.</summary>
    public async Task<IReadOnlyList<PipelineInfo>> PipelinesAsync(CancellationToken cancellationToken) =>
        (await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false)).Pipelines;

    /// <summary>The deals of the loaded pipelines a board shows, newest first; deals of a pipeline no plugin defines any more are left out.</summary>
    /// <exception cref="CrmException">No pipeline by the filter's name.</exception>
    public async Task<DealBoard> BoardAsync(DealBoardFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PipelineInfo> shown = filter.Pipeline is { } name ? [FindPipeline(runtime, name)] : runtime.Pipelines;
        var one = filter.Pipeline is null ? null : shown[0];
        var deals = Deals;
        var rows = deals.List(new DealFilter
        {
            ClientId = filter.ClientId, Owner = filter.Owner, ClientManager = filter.ClientManager, PluginId = one?.PluginId, Pipeline = one?.Name,
            Limit = filter.Limit + 1,
        });
        var more = rows.Count > filter.Limit;
        var onBoard = rows.Take(filter.Limit).Where(d => shown.Any(p => p.PluginId == d.PluginId && p.Name == d.Pipeline)).ToList();
        return new DealBoard(shown, runtime.Pipelines, onBoard, deals.Owners(filter.ClientManager), more);
    }

    /// <summary>A deal by number, id, or the id's first six characters or more.</summary>
    /// <exception cref="CrmException">No such deal.</exception>
    public Task<DealRow> FindAsync(string term, CancellationToken cancellationToken) => Sync.Run(() =>
        Deals.Find(term) ?? throw new CrmException($"No deal '{term}' (a deal number, or its id or the id's first six characters or more); 'crmx deals list' shows them."), cancellationToken);

    /// <summary>A deal's stage history, refused moves included, oldest first.</summary>
    public Task<IReadOnlyList<DealMoveRow>> HistoryAsync(string dealId, CancellationToken cancellationToken) =>
        Sync.Run<IReadOnlyList<DealMoveRow>>(() => Deals.History(dealId), cancellationToken);

    private static PipelineInfo FindPipeline(PluginRuntime runtime, string name)
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

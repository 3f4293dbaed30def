using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Internal;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Recommendations;

namespace CrmExtensions.Application.Recommendations;

/// <summary>A client's cross-sell recommendations, what it bought, and its repeat-purchase reminders (a separate list).</summary>
/// <param name="Client">The client.</param>
/// <param name="CrossSell">Products it has not bought, best first, each with its reason.</param>
/// <param name="Repeats">Products it buys regularly and has not bought this cycle.</param>
/// <param name="Bought">What it bought, most often bought first.</param>
/// <param name="MinSupport">The minimum support the recommendations were computed with.</param>
internal sealed record ClientRecommendations(ClientRow Client, IReadOnlyList<ClientRecommendation> CrossSell, IReadOnlyList<RepeatReminder> Repeats,
    IReadOnlyList<ProductBought> Bought, int MinSupport);

/// <summary>Cross-sell recommendations and repeat-purchase reminders: per client, and evaluated offline.</summary>
internal sealed class RecommendationService(CrmWorkspace workspace, ClientService clients)
{
    private ProductRecommendations Reader => new(workspace.Store, workspace.Configuration.Recommendations.ToOptions());

    /// <summary>A client's recommendations, repeat reminders as of <paramref name="asOf"/> and purchases.</summary>
    /// <exception cref="CrmException">No client, or several, match <paramref name="term"/>.</exception>
    public async Task<ClientRecommendations> ShowAsync(string term, DateOnly asOf, CancellationToken cancellationToken)
    {
        var client = await clients.ResolveAsync(term, cancellationToken).ConfigureAwait(false);
        return await Sync.Run(() => For(client, asOf), cancellationToken).ConfigureAwait(false);
    }

    private ClientRecommendations For(ClientRow client, DateOnly asOf)
    {
        var products = Reader.Client(client.ClientId, asOf);
        return new ClientRecommendations(client, products.CrossSell, products.Repeats, products.Bought, products.MinSupport);
    }

    /// <summary>The recommendations of the client with the lowest id that has any (the demo's line), or null when none has.</summary>
    public async Task<ClientRecommendations?> FirstAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        if (Reader.FirstClient() is not { } id)
        {
            return null;
        }

        var client = await clients.ResolveAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return await Sync.Run(() => For(client, asOf), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Trains on invoices before <paramref name="until"/> and tests on the <paramref name="days"/> after it.</summary>
    /// <exception cref="CrmException">The store has no invoice lines, or none before <paramref name="until"/>.</exception>
    public Task<EvaluationResult> EvaluateAsync(DateOnly until, int days, int? minSupport, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var options = workspace.Configuration.Recommendations.ToOptions();
        var purchases = new ProductRecommendations(workspace.Store, options).Purchases();
        if (purchases.Count == 0)
        {
            throw new CrmException("The store has no invoice lines of unified clients: map the ledger's 'invoice_lines' kind, then run 'crmx sync' and 'crmx unify'.");
        }

        if (!purchases.Any(p => p.Day < until))
        {
            throw new CrmException($"No invoice line is dated before {until:yyyy-MM-dd}; the lines run from {purchases.Min(p => p.Day):yyyy-MM-dd} to {purchases.Max(p => p.Day):yyyy-MM-dd}.");
        }

        return RecommenderEvaluation.Run(purchases, until, days, minSupport ?? options.MinSupport);
    }, cancellationToken);
}

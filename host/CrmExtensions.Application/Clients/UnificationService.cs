using CrmExtensions.Store.Clients;

namespace CrmExtensions.Application.Clients;

/// <summary>Rebuilds the client records from the mirror: ledger entities → legal entities → clients, people's decisions applied.</summary>
internal sealed class UnificationService(CrmWorkspace workspace)
{
    /// <summary>Runs unification over every live counterparty of the mirror.</summary>
    public Task<Unifier.Outcome> UnifyAsync(CancellationToken cancellationToken)
    {
        var store = workspace.Store;
        return Task.Run(() => new Unifier(store).Run(cancellationToken), cancellationToken);
    }

    /// <summary>Whether unification has ever run on this store.</summary>
    public Task<bool> HasRunAsync(CancellationToken cancellationToken) =>
        Internal.Sync.Run(() => new ClientStore(workspace.Store).LastRun() is not null, cancellationToken);
}

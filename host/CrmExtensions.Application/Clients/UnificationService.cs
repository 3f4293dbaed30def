using CrmExtensions.Store.Clients;

namespace CrmExtensions.Application.Clients;

/// <summary>Rebuilds the client records from the mirror: ledger entities → legal entities → clients, people's decisions applied.</summary>
internal sealed class UnificationService(CrmWorkspace workspace)
{
    /// <summary>Runs unification over the live counterparties of the mirror: incrementally, around the rows changed since
    /// the last run, when a kept model still holds; otherwise over every row.</summary>
    public Task<Unifier.Outcome> UnifyAsync(CancellationToken cancellationToken) => UnifyAsync(full: false, cancellationToken);

    /// <summary>Runs unification; <paramref name="full"/> re-examines every row even where an incremental run would do.</summary>
    public Task<Unifier.Outcome> UnifyAsync(bool full, CancellationToken cancellationToken) => UnifyAsync(full, null, cancellationToken);

    /// <summary>Runs unification as <see cref="UnifyAsync(bool, CancellationToken)"/>, telling <paramref name="progress"/>
    /// where it is (on the run's thread: a slow reporter slows the run).</summary>
    public Task<Unifier.Outcome> UnifyAsync(bool full, IProgress<UnifyProgress>? progress, CancellationToken cancellationToken)
    {
        var store = workspace.Store;
        var share = workspace.Configuration.Unification.CheckedRelearnShare();
        return Task.Run(() => new Unifier(store, share, progress).Run(full, cancellationToken), cancellationToken);
    }

    /// <summary>Whether unification has ever run on this store.</summary>
    public Task<bool> HasRunAsync(CancellationToken cancellationToken) =>
        Internal.Sync.Run(() => new ClientStore(workspace.Store).LastRun() is not null, cancellationToken);
}

using CrmExtensions.Ledger.Connections;
using CrmExtensions.Ledger.Sync;

namespace CrmExtensions.Application.Ledgers;

/// <summary>Pulls ledger changes into the store's mirror, recording change events.</summary>
internal sealed class SyncService(CrmWorkspace workspace)
{
    /// <summary>The line shown when another host is syncing the store and this sync waits for its turn.</summary>
    public const string WaitingLine = "sync: another host is syncing this store; waiting for it to finish (Ctrl+C to stop)";

    /// <summary>Syncs the ledgers named (comma-separated), or all.</summary>
    /// <param name="ledgerNames">Comma-separated names, or null for all.</param>
    /// <param name="progress">Rows read so far, or null.</param>
    /// <param name="waiting">Called once when another host is syncing the store and this sync waits its turn, or null.</param>
    /// <param name="cancellationToken">Stops the sync (a batch in hand is rolled back) or the wait.</param>
    /// <exception cref="InvalidRequestException">A name is not a configured ledger.</exception>
    public Task<IReadOnlyList<KindSyncResult>> SyncAsync(string? ledgerNames, IProgress<SyncProgress>? progress, Action? waiting, CancellationToken cancellationToken) =>
        SyncLedgersAsync(workspace.SelectLedgers(ledgerNames), progress, waiting, cancellationToken);

    /// <summary>Syncs <paramref name="ledgers"/> (configured ledgers of the workspace).</summary>
    public Task<IReadOnlyList<KindSyncResult>> SyncLedgersAsync(IReadOnlyList<LedgerDefinition> ledgers, IProgress<SyncProgress>? progress, Action? waiting,
        CancellationToken cancellationToken)
    {
        var store = workspace.Store;
        return Task.Run(() => new LedgerSynchronizer(store) { Waiting = waiting }.Sync(ledgers, progress, cancellationToken), cancellationToken);
    }
}

using CrmExtensions.Ledger.Sync;

namespace CrmExtensions.Application.Ledgers;

/// <summary>Pulls ledger changes into the store's mirror, recording change events.</summary>
internal sealed class SyncService(CrmWorkspace workspace)
{
    /// <summary>Syncs the ledgers named (comma-separated), or all.</summary>
    /// <exception cref="InvalidRequestException">A name is not a configured ledger.</exception>
    public Task<IReadOnlyList<KindSyncResult>> SyncAsync(string? ledgerNames, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var ledgers = workspace.SelectLedgers(ledgerNames);
        var store = workspace.Store;
        return Task.Run(() => new LedgerSynchronizer(store).Sync(ledgers, progress, cancellationToken), cancellationToken);
    }
}

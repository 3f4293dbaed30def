using CrmExtensions.Ledger.Checking;

namespace CrmExtensions.Application.Ledgers;

/// <summary>Checks that every ledger attaches: connection, each mapping query, column names and types, the first rows.</summary>
internal sealed class AttachService(CrmWorkspace workspace)
{
    /// <summary>Checks the ledgers named (comma-separated), or all; reads at most <paramref name="sampleRows"/> rows of each kind.</summary>
    /// <exception cref="Ledger.LedgerException">A ledger's configuration is wrong before anything could be checked.</exception>
    /// <exception cref="InvalidRequestException">A name is not a configured ledger.</exception>
    public Task<AttachCheckResult> CheckAsync(string? ledgerNames, int sampleRows, CancellationToken cancellationToken)
    {
        var ledgers = workspace.SelectLedgers(ledgerNames);
        return Task.Run(() => AttachChecker.Check(ledgers, sampleRows, cancellationToken), cancellationToken);
    }
}

namespace CrmExtensions.Sdk.Model;

/// <summary>Identifies a ledger row: the ledger's name in the configuration and the row's id in that ledger.</summary>
/// <param name="Ledger">The ledger's name, such as <c>msk</c>.</param>
/// <param name="Id">The row's id in the ledger.</param>
public readonly record struct LedgerKey(string Ledger, string Id)
{
    /// <summary>Returns <c>ledger/id</c>.</summary>
    /// <returns>The key as text.</returns>
    public override string ToString() => Ledger + "/" + Id;
}

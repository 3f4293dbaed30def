namespace CrmExtensions.Samples;

/// <summary>One generated regional ledger: its file and the number of rows its mapping yields per kind.</summary>
/// <param name="Name">The ledger name from <see cref="SampleLedgerOptions.Ledgers"/>.</param>
/// <param name="Path">The full path of the SQLite file.</param>
/// <param name="Counterparties">Counterparty rows.</param>
/// <param name="Invoices">Posted invoices (unposted drafts are in the file but not counted: the mapping skips them).</param>
/// <param name="Payments">Payments.</param>
/// <param name="Contacts">Contact persons.</param>
public sealed record SampleLedgerFile(string Name, string Path, int Counterparties, int Invoices, int Payments, int Contacts)
{
    /// <summary>Gets the lines of the posted invoices (what the mapping's <c>invoice_lines</c> yields).</summary>
    public int InvoiceLines { get; init; }
}

/// <summary>What <see cref="SampleLedger.Generate"/> wrote: the ledgers, the mapping file and the ground truth.</summary>
/// <param name="Ledgers">The ledgers, in the order of <see cref="SampleLedgerOptions.Ledgers"/>.</param>
/// <param name="MappingPath">The full path of the mapping file that serves every ledger.</param>
/// <param name="TruthPath">The full path of <c>truth.csv</c>.</param>
public sealed record SampleLedgerResult(IReadOnlyList<SampleLedgerFile> Ledgers, string MappingPath, string TruthPath)
{
    /// <summary>Gets the planted co-purchase pairs: buying the first product makes buying the second likely later.</summary>
    public IReadOnlyList<PlantedPair> PlantedPairs { get; init; } = [];
}

/// <summary>A planted co-purchase pattern of the sample ledgers: the ground truth for cross-sell.</summary>
/// <param name="ProductId">The first product's code (the mapping's <c>product_id</c>).</param>
/// <param name="ProductName">The first product's name.</param>
/// <param name="ThenProductId">The code of the product bought after it far more often than chance.</param>
/// <param name="ThenProductName">That product's name.</param>
public sealed record PlantedPair(string ProductId, string ProductName, string ThenProductId, string ThenProductName);

/// <summary>Progress of a generation: a stage name and how far it got.</summary>
/// <param name="Stage"><c>counterparties</c> while rows are written, then <c>indexes</c>.</param>
/// <param name="Done">Units done in the stage.</param>
/// <param name="Total">Units in the stage.</param>
public sealed record SampleProgress(string Stage, long Done, long Total);

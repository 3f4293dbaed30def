namespace CrmExtensions.Samples;

/// <summary>What <see cref="SampleLedger.Generate"/> builds: size, seed, date and regional ledgers.</summary>
public sealed class SampleLedgerOptions
{
    /// <summary>Gets the total number of counterparty rows over all ledgers.</summary>
    /// <value>5,000 by default; 100 to 1,000,000.</value>
    public int Counterparties { get; init; } = 5_000;

    /// <summary>Gets the seed: the same seed and options give the same rows.</summary>
    /// <value>1 by default.</value>
    public int Seed { get; init; } = 1;

    /// <summary>Gets the last day of the three-year history of invoices and payments.</summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>Gets the names of the regional offices; each becomes one SQLite file <c>&lt;name&gt;.db</c>.</summary>
    /// <value><c>["main"]</c> by default; letters, digits, '-' and '_' only, distinct ignoring case.</value>
    public IReadOnlyList<string> Ledgers { get; init; } = ["main"];

    /// <summary>Gets the mean number of posted invoices per counterparty row.</summary>
    /// <value>3.0 by default; 0 to 100.</value>
    public double InvoicesPerCounterparty { get; init; } = 3.0;
}

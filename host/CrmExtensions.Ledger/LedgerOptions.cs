namespace CrmExtensions.Ledger;

/// <summary>One ledger database to attach: an element of the <c>ledgers</c> array of <c>crmx.json</c>.</summary>
public sealed class LedgerOptions
{
    /// <summary>The ledger's name; every mirrored row is keyed by (name, ledger_id), so keep it stable.</summary>
    public string? Name { get; set; }

    /// <summary>The ledger's database engine: <c>sqlite</c>, <c>postgres</c> or <c>sqlserver</c>.</summary>
    public string? Provider { get; set; }

    /// <summary>The connection string; the host adds the provider's read-only setting itself.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The mapping file, relative to the configuration file's folder.</summary>
    public string? Mapping { get; set; }

    /// <summary>How long one mapping query may run before it is abandoned.</summary>
    /// <value>0 by default: no limit, since a full pass over a large ledger takes as long as it takes.</value>
    public int CommandTimeoutSeconds { get; set; }
}

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

    /// <summary>How long to wait for a ledger that another program has locked (or that is too busy to take the
    /// read) before giving up with one line naming it.</summary>
    /// <value>30 seconds by default; 0 gives up at the first refusal (SQLite still retries for a second).</value>
    public int BusyTimeoutSeconds { get; set; } = DefaultBusyTimeoutSeconds;

    /// <summary>The default of <see cref="BusyTimeoutSeconds"/>.</summary>
    public const int DefaultBusyTimeoutSeconds = 30;
}

namespace CrmExtensions.Store;

/// <summary>Where the CRM keeps its own data: the <c>store</c> section of <c>crmx.json</c>.</summary>
public sealed class StoreOptions
{
    /// <summary>The database engine.</summary>
    /// <value><c>sqlite</c> by default; also <c>postgres</c> and <c>sqlserver</c>.</value>
    public string Provider { get; set; } = "sqlite";

    /// <summary>The connection string of the store's database.</summary>
    /// <value><c>Data Source=crm.db</c> by default: a file in the working folder.</value>
    public string ConnectionString { get; set; } = "Data Source=crm.db";

    /// <summary>The currency every total the product makes is in: documents in another currency are converted to it at
    /// their ledger's rates, and a ledger's rows without a currency are taken to be in it unless its mapping names one.</summary>
    /// <value><c>RUB</c> by default; an ISO 4217 code (<c>643</c>, <c>RUR</c> and <c>₽</c> are read as <c>RUB</c>).</value>
    public string BaseCurrency { get; set; } = Mirror.Currency.DefaultBase;
}

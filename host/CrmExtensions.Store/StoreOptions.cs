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
}

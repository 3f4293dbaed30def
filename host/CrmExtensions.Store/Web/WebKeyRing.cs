using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Web;

/// <summary>The one reader and writer of <c>web_keys</c>: the XML elements of the web's Data Protection key ring.</summary>
/// <remarks>Keys are added, never changed: a revocation is a new element, as Data Protection writes it.</remarks>
public sealed class WebKeyRing(CrmStore store)
{
    private readonly CrmStore _store = store ?? throw new ArgumentNullException(nameof(store));

    internal const string ListSql = "SELECT xml FROM web_keys ORDER BY created_at, name";

    internal static string InsertSql(StoreDialect dialect) =>
        dialect.InsertIfAbsent("web_keys", "name, xml, created_at", "@name, @xml, @now", ("name", "name"));

    /// <summary>Every statement for a dialect, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) => [ListSql, InsertSql(dialect)];

    /// <summary>Every stored element, oldest first.</summary>
    public IReadOnlyList<string> All()
    {
        using var connection = _store.Open();
        return connection.Query<string>(ListSql).AsList();
    }

    /// <summary>Stores an element under a name unless that name is taken.</summary>
    public void Add(string name, string xml)
    {
        using var connection = _store.Open();
        connection.Execute(InsertSql(_store.Dialect), new { name, xml, now = StoreTime.Now(_store.Time) });
    }
}

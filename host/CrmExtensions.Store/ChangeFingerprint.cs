using System.Globalization;
using Dapper;

namespace CrmExtensions.Store;

/// <summary>
/// A cheap summary of everything a plugin's rule can read that people or processes change: equal summaries mean none of
/// it changed in between, so an idle <c>crmx run</c> cycle can skip the rules.
/// </summary>
/// <remarks>
/// Ledger rows reach the store only through sync, which records its runs with their counts and a change event for each
/// new, changed or vanished row after the first load (and settles invoices with events too); unification records its runs and client events; the CRM's own data —
/// activities, deals and their moves, client tags, plugin data, clients — is summarised by count and latest change. One
/// statement of sub-selects, each a single aggregate.
/// </remarks>
public static class ChangeFingerprint
{
    internal const string Sql =
        "SELECT (SELECT MAX(seq) FROM change_events) AS events, (SELECT MAX(id) FROM sync_runs WHERE inserted + changed + vanished > 0) AS syncs, (SELECT MAX(id) FROM unification_runs) AS unifications, " +
        "(SELECT MAX(id) FROM unification_decisions) AS decisions, (SELECT MAX(updated_at) FROM clients) AS clients, " +
        "(SELECT COUNT(*) FROM activities) AS activities, (SELECT MAX(recorded_at) FROM activities) AS activity_at, " +
        "(SELECT COUNT(*) FROM deals) AS deals, (SELECT MAX(updated_at) FROM deals) AS deal_at, (SELECT MAX(id) FROM deal_moves) AS moves, " +
        "(SELECT COUNT(*) FROM client_tags) AS tags, (SELECT MAX(updated_at) FROM client_tags) AS tag_at, " +
        "(SELECT COUNT(*) FROM plugin_data) AS data, (SELECT MAX(updated_at) FROM plugin_data) AS data_at";

    /// <summary>Reads the summary now.</summary>
    /// <exception cref="StoreException">The store cannot be opened.</exception>
    public static string Read(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var connection = store.Open();
        using var reader = connection.ExecuteReader(Sql);
        reader.Read();
        var values = new object?[reader.FieldCount];
        reader.GetValues(values!);
        return string.Join('|', values.Select(v => v is null or DBNull ? "" : Convert.ToString(v, CultureInfo.InvariantCulture)));
    }

    /// <summary>The statement, for the SQL Server parse test.</summary>
    public static IEnumerable<string> Statements() => [Sql];
}

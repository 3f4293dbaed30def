using System.Data.Common;
using System.Runtime.InteropServices;
using CrmExtensions.Store.Migrations;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Reporting;

/// <summary>One ranked row of revenue: a key (a client, or a ledger counterparty), its amount and its invoices.</summary>
/// <typeparam name="TKey">The key.</typeparam>
/// <param name="Key">The client id, or the counterparty; null for invoices of counterparties in no client.</param>
/// <param name="Amount">Revenue in stored ten-thousandths of the base currency.</param>
/// <param name="Invoices">Invoices counted.</param>
public readonly record struct RankedRevenue<TKey>(TKey Key, long Amount, long Invoices);

/// <summary>A ledger counterparty's revenue in a window, and the client its invoices carry.</summary>
/// <param name="Ledger">The ledger.</param>
/// <param name="CounterpartyId">The counterparty's id in it.</param>
/// <param name="ClientId">Its client; null when it is in none.</param>
/// <param name="Amount">Revenue in stored ten-thousandths of the base currency.</param>
/// <param name="Invoices">Invoices counted.</param>
public sealed record CounterpartyRevenue(string Ledger, string CounterpartyId, long? ClientId, long Amount, long Invoices);

/// <summary>
/// Revenue per ledger counterparty in one pass over the window's invoices, and from it per client: the Pareto report's
/// two rankings and the managers report's revenue.
/// </summary>
/// <remarks>
/// The database groups the invoices by counterparty reading the index in that order (migration 30), with no sort; a
/// counterparty's invoices all carry its current client (unification moves them together), so the clients' sums are the
/// sums of their counterparties', added up in the host. A year of a million counterparties is then one scan of the
/// index and half a million rows, where grouping by client read the year through the date's index and sorted every
/// invoice, then did it again for the counterparties. Rankings are by amount descending, then by key: client id (invoices
/// in no client as id 0, as <see cref="ClientMoneySql.Ranking"/> ranks them in SQL), or ledger and id compared ordinally.
/// </remarks>
public static class RevenueTally
{
    /// <summary>Revenue <c>(ledger, counterparty_id, client_id, amount, invoices)</c> per counterparty of the live invoices
    /// issued in [@from, @to] with an amount in the base currency.</summary>
    public static string CounterpartyRows(StoreDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return "SELECT i.ledger, i.counterparty_id, MIN(i.client_id), CAST(SUM(i.base_amount) AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM mirror_invoices i" +
            dialect.InIndexOrder(RevenueByCounterpartyMigration.Index) +
            " WHERE " + ClientMoneySql.InvoicesInWindow + " AND " + ClientMoneySql.Converted + " GROUP BY i.ledger, i.counterparty_id";
    }

    /// <summary>Revenue <c>(client_id, amount, invoices)</c> per client of the live invoices issued in [@from, @to] with an
    /// amount in the base currency (a NULL client_id for those of counterparties in no client), for a reader that needs no
    /// counterparty: the client's index is read in its own order, so the groups come out without a sort.</summary>
    /// <remarks>It reads every year's invoices of the index and skips those outside the window, which on SQLite costs half
    /// what the counterparties' grouping does and a third of reading the window through the date's index and sorting it.</remarks>
    public static string ClientRows(StoreDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return ClientMoneySql.RevenueByClient(dialect.InIndexOrder(CurrencyMigration.ClientIndex));
    }

    /// <summary>Reads the rows of <paramref name="sql"/> (a statement of <see cref="CounterpartyRows"/>).</summary>
    public static List<CounterpartyRevenue> Read(DbConnection connection, string sql, object? parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rows = new List<CounterpartyRevenue>();
        var ledgers = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = connection.ExecuteReader(sql, parameters);
        while (reader.Read())
        {
            // A store holds a few ledgers: one string for each, not one per row.
            var ledger = reader.GetString(0);
            if (!ledgers.TryGetValue(ledger, out var shared))
            {
                ledgers[ledger] = shared = ledger;
            }

            rows.Add(new CounterpartyRevenue(shared, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return rows;
    }

    /// <summary>Revenue per client, ranked; a null id gathers the invoices of counterparties in no client.</summary>
    public static List<RankedRevenue<long?>> ByClient(IEnumerable<CounterpartyRevenue> counterparties)
    {
        ArgumentNullException.ThrowIfNull(counterparties);
        var sums = new Dictionary<long, (long Amount, long Invoices)>();
        foreach (var c in counterparties)
        {
            // Client ids start at 1: 0 stands for "in no client" while adding up and ranks where the SQL ranks a NULL id.
            ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, c.ClientId ?? 0, out _);
            sum = (sum.Amount + c.Amount, sum.Invoices + c.Invoices);
        }

        var ranked = sums.Select(s => new RankedRevenue<long?>(s.Key == 0 ? null : s.Key, s.Value.Amount, s.Value.Invoices)).ToArray();
        Array.Sort(ranked, static (a, b) => a.Amount != b.Amount ? b.Amount.CompareTo(a.Amount) : (a.Key ?? 0).CompareTo(b.Key ?? 0));
        return [.. ranked];
    }

    /// <summary>Revenue per ledger counterparty, ranked.</summary>
    public static List<RankedRevenue<(string Ledger, string Id)>> ByCounterparty(IEnumerable<CounterpartyRevenue> counterparties)
    {
        ArgumentNullException.ThrowIfNull(counterparties);
        var ranked = counterparties.Select(c => new RankedRevenue<(string Ledger, string Id)>((c.Ledger, c.CounterpartyId), c.Amount, c.Invoices)).ToArray();
        Array.Sort(ranked, static (a, b) =>
        {
            if (a.Amount != b.Amount)
            {
                return b.Amount.CompareTo(a.Amount);
            }

            var byLedger = string.CompareOrdinal(a.Key.Ledger, b.Key.Ledger);
            return byLedger != 0 ? byLedger : string.CompareOrdinal(a.Key.Id, b.Key.Id);
        });
        return [.. ranked];
    }
}

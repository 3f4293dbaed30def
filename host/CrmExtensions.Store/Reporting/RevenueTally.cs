using System.Data;
using System.Runtime.InteropServices;
using CrmExtensions.Store.Migrations;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Reporting;

/// <summary>One of the first rows of a revenue ranking: a key (a client, or a ledger counterparty), its amount, the revenue
/// of it and every row ranked before it, and its class.</summary>
/// <typeparam name="TKey">The key.</typeparam>
/// <param name="Key">The client id (0 for invoices of counterparties in no client), or the counterparty.</param>
/// <param name="Amount">Revenue in stored ten-thousandths of the base currency.</param>
/// <param name="Running">Revenue of this row and every row ranked before it.</param>
/// <param name="Class">A, B or C (<see cref="ClientMoneySql.ParetoClassOf"/>).</param>
public readonly record struct RankedRevenue<TKey>(TKey Key, long Amount, long Running, string Class);

/// <summary>One class of a revenue ranking: how many rows and how much revenue.</summary>
/// <param name="Class">A, B or C.</param>
/// <param name="Count">Rows in it.</param>
/// <param name="Amount">Their revenue in stored ten-thousandths of the base currency.</param>
public readonly record struct RevenueClass(string Class, long Count, long Amount);

/// <summary>A revenue ranking: its first rows, its three classes (A, B, C, each present) and its total.</summary>
/// <typeparam name="TKey">The rows' key.</typeparam>
public sealed record RevenueRankingResult<TKey>(IReadOnlyList<RankedRevenue<TKey>> Top, IReadOnlyList<RevenueClass> Classes, long Total);

/// <summary>
/// A revenue ranking built as its rows stream past (by amount descending, then by key): every amount is kept for the
/// classes, a key only while its row may still be among the first rows.
/// </summary>
/// <remarks>
/// A class's count and revenue depend only on the amounts in ranked order, not on which of several equal amounts comes
/// first, so the classes need the amounts alone, sorted; a key decides only the order of equal amounts among the first rows.
/// A row whose amount is below the last kept row's, once that many are kept, can never be listed and its key is never
/// read: of half a million counterparties streaming past in key order a few hundred keys are read. Building a record of
/// every row with its two strings and sorting them by amount and key instead took the Pareto report's CPU at a million
/// counterparties on SQLite from 0.9 to 1.4 s.
/// </remarks>
/// <typeparam name="TKey">The rows' key.</typeparam>
public sealed class RevenueRanking<TKey>
{
    private readonly int _top;
    private readonly Comparison<TKey> _keyOrder;
    private readonly List<long> _amounts = [];

    // The kept rows, the worst (the last in ranked order) at the root.
    private readonly PriorityQueue<(TKey Key, long Amount), (TKey Key, long Amount)> _kept;

    /// <summary>A ranking that lists its first <paramref name="top"/> rows.</summary>
    /// <param name="top">How many rows to list.</param>
    /// <param name="keyOrder">The order of keys among equal amounts.</param>
    public RevenueRanking(int top, Comparison<TKey> keyOrder)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentNullException.ThrowIfNull(keyOrder);
        _top = top;
        _keyOrder = keyOrder;
        _kept = new PriorityQueue<(TKey, long), (TKey, long)>(Comparer<(TKey Key, long Amount)>.Create((a, b) => Ranked(b, a)));
    }

    /// <summary>Adds a row; <paramref name="key"/> is asked only if the row may be among the first rows.</summary>
    public void Add<TState>(long amount, TState state, Func<TState, TKey> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _amounts.Add(amount);
        if (_kept.Count < _top)
        {
            var row = (key(state), amount);
            _kept.Enqueue(row, row);
        }
        else if (_top > 0 && amount >= _kept.Peek().Amount)
        {
            var row = (key(state), amount);
            if (Ranked(row, _kept.Peek()) < 0)
            {
                _kept.DequeueEnqueue(row, row);
            }
        }
    }

    /// <summary>The ranking of the rows added: the first rows with their running revenue and class, the classes and the total.</summary>
    public RevenueRankingResult<TKey> Rank()
    {
        var amounts = CollectionsMarshal.AsSpan(_amounts);
        amounts.Sort();
        var total = 0L;
        foreach (var amount in amounts)
        {
            total += amount;
        }

        // Largest first: each row's class is decided by the revenue ranked before it.
        var classes = new (long Count, long Amount)[3];
        var running = 0L;
        for (var i = amounts.Length - 1; i >= 0; i--)
        {
            ref var c = ref classes[ClientMoneySql.ParetoClassOf(running, total)[0] - 'A'];
            c = (c.Count + 1, c.Amount + amounts[i]);
            running += amounts[i];
        }

        var kept = _kept.UnorderedItems.Select(k => k.Element).ToArray();
        Array.Sort(kept, Ranked);
        var top = new List<RankedRevenue<TKey>>(kept.Length);
        running = 0;
        foreach (var (key, amount) in kept)
        {
            var cls = ClientMoneySql.ParetoClassOf(running, total);
            running += amount;
            top.Add(new RankedRevenue<TKey>(key, amount, running, cls));
        }

        return new RevenueRankingResult<TKey>(top, [.. classes.Select((c, i) => new RevenueClass(((char)('A' + i)).ToString(), c.Count, c.Amount))], total);
    }

    /// <summary>Ranked order: amount descending, then key.</summary>
    private int Ranked((TKey Key, long Amount) a, (TKey Key, long Amount) b) => a.Amount != b.Amount ? b.Amount.CompareTo(a.Amount) : _keyOrder(a.Key, b.Key);
}

/// <summary>
/// Revenue per ledger counterparty in one pass over the window's invoices, and from it per client: the Pareto report's
/// two rankings.
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
    /// <summary>Revenue <c>(ledger, counterparty_id, client_id, amount)</c> per counterparty of the live invoices issued in
    /// [@from, @to] with an amount in the base currency.</summary>
    public static string CounterpartyRows(StoreDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return "SELECT i.ledger, i.counterparty_id, MIN(i.client_id), CAST(SUM(i.base_amount) AS BIGINT) FROM mirror_invoices i" +
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

    /// <summary>Ranks the counterparties of <paramref name="reader"/> (the rows of a <see cref="CounterpartyRows"/> statement) and
    /// the clients they are in (invoices of counterparties in no client as client 0), each listing its first <paramref name="top"/> rows.</summary>
    public static (RevenueRankingResult<(string Ledger, string Id)> Counterparties, RevenueRankingResult<long> Clients) Rank(IDataReader reader, int top)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var counterparties = new RevenueRanking<(string Ledger, string Id)>(top, static (a, b) =>
        {
            var byLedger = string.CompareOrdinal(a.Ledger, b.Ledger);
            return byLedger != 0 ? byLedger : string.CompareOrdinal(a.Id, b.Id);
        });
        var sums = new Dictionary<long, long>();
        while (reader.Read())
        {
            var amount = reader.GetInt64(3);
            counterparties.Add(amount, reader, static r => (r.GetString(0), r.GetString(1)));

            // Client ids start at 1: 0 stands for "in no client" and ranks where the SQL ranks a NULL id.
            ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, reader.IsDBNull(2) ? 0 : reader.GetInt64(2), out _);
            sum += amount;
        }

        var clients = new RevenueRanking<long>(top, static (a, b) => a.CompareTo(b));
        foreach (var (client, amount) in sums)
        {
            clients.Add(amount, client, static c => c);
        }

        return (counterparties.Rank(), clients.Rank());
    }
}

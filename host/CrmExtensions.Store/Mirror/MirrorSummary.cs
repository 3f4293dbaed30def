using Dapper;

namespace CrmExtensions.Store.Mirror;

/// <summary>What the mirror holds for one ledger: live rows per kind and the money picture.</summary>
/// <param name="Ledger">The ledger.</param>
/// <param name="Counterparties">Counterparties the ledger still returns.</param>
/// <param name="Invoices">Invoices the ledger still returns.</param>
/// <param name="Payments">Payments the ledger still returns.</param>
/// <param name="Contacts">Contact persons the ledger still returns.</param>
/// <param name="Invoiced">The sum of all invoices.</param>
/// <param name="Overdue">What is still owed on invoices past their due date and not settled.</param>
/// <param name="OverdueInvoices">How many such invoices.</param>
public sealed record LedgerSummary(string Ledger, long Counterparties, long Invoices, long Payments, long Contacts, decimal Invoiced, decimal Overdue, long OverdueInvoices);

/// <summary>Reads <see cref="LedgerSummary"/> figures from the mirror.</summary>
public static class MirrorSummary
{
    /// <summary>The summary of every ledger in the mirror, as of <paramref name="today"/> for what is overdue.</summary>
    public static IReadOnlyList<LedgerSummary> Read(CrmStore store, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var connection = store.Open();
        var counts = connection.Query<(string Ledger, string Kind, long Rows)>(CountsSql).ToList();
        var money = connection.Query<(string Ledger, long Invoiced, long Overdue, long OverdueInvoices)>(MoneySql,
            new { today = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }).ToDictionary(m => m.Ledger);
        return counts.Select(c => c.Ledger).Distinct().Order(StringComparer.Ordinal).Select(ledger =>
        {
            long Count(string kind) => counts.FirstOrDefault(c => c.Ledger == ledger && c.Kind == kind).Rows;
            var m = money.GetValueOrDefault(ledger);
            return new LedgerSummary(ledger, Count("counterparties"), Count("invoices"), Count("payments"), Count("contacts"),
                Money.FromStored(m.Invoiced), Money.FromStored(m.Overdue), m.OverdueInvoices);
        }).ToList();
    }

    /// <summary>The (ledger, kind) pairs whose last sync began and never finished: the mirror is half-synced until a
    /// sync of them completes (invoices may be in while their payments are not).</summary>
    /// <remarks>Read under a shared <see cref="Leases.SyncLock"/>, so that a sync still running is not taken for a failed one.</remarks>
    public static IReadOnlyList<string> UnfinishedSyncs(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var connection = store.Open();
        return connection.Query<(string Ledger, string Kind)>(UnfinishedSql).Select(u => $"{u.Ledger} {u.Kind}").ToList();
    }

    internal const string UnfinishedSql =
        "SELECT r.ledger, r.kind FROM sync_runs r WHERE r.finished_at IS NULL AND NOT EXISTS " +
        "(SELECT 1 FROM sync_runs l WHERE l.ledger = r.ledger AND l.kind = r.kind AND l.id > r.id AND l.finished_at IS NOT NULL) " +
        "GROUP BY r.ledger, r.kind ORDER BY r.ledger, r.kind";

    internal const string CountsSql =
        "SELECT ledger, 'counterparties', COUNT(*) FROM mirror_counterparties WHERE vanished_at IS NULL GROUP BY ledger " +
        "UNION ALL SELECT ledger, 'invoices', COUNT(*) FROM mirror_invoices WHERE vanished_at IS NULL GROUP BY ledger " +
        "UNION ALL SELECT ledger, 'payments', COUNT(*) FROM mirror_payments WHERE vanished_at IS NULL GROUP BY ledger " +
        "UNION ALL SELECT ledger, 'contacts', COUNT(*) FROM mirror_contacts WHERE vanished_at IS NULL GROUP BY ledger";

    internal static readonly string MoneySql =
        "SELECT ledger, COALESCE(SUM(amount), 0), " +
        "COALESCE(SUM(CASE WHEN due_on < @today AND " + MirrorSchema.OpenInvoice("mirror_invoices") + " THEN amount - COALESCE(paid_amount, 0) ELSE 0 END), 0), " +
        "COALESCE(SUM(CASE WHEN due_on < @today AND " + MirrorSchema.OpenInvoice("mirror_invoices") + " THEN 1 ELSE 0 END), 0) " +
        "FROM mirror_invoices WHERE vanished_at IS NULL GROUP BY ledger";

    /// <summary>Every statement this class sends.</summary>
    internal static IEnumerable<string> Statements() => [CountsSql, MoneySql, UnfinishedSql];
}

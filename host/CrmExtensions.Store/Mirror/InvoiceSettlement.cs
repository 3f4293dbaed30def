using CrmExtensions.Store.Internal;
using Dapper;

namespace CrmExtensions.Store.Mirror;

/// <summary>Notices invoices that became paid — by their own paid amount or by payments that name them.</summary>
public static class InvoiceSettlement
{
    /// <summary>An invoice paid in full by its own paid amount, given how its amount and paid amount are named: one of the
    /// two ways an invoice becomes settled, and the one a first load's writer applies as it writes the row.</summary>
    internal static string SettledByItself(string amount, string paidAmount) => $"{amount} > 0 AND COALESCE({paidAmount}, 0) >= {amount}";

    internal static readonly string Predicate =
        "i.ledger = @ledger AND i.settled_on IS NULL AND i.vanished_at IS NULL AND (" + SettledByItself("i.amount", "i.paid_amount") + " OR " +
        "(i.amount > 0 AND (SELECT COALESCE(SUM(p.amount), 0) FROM mirror_payments p WHERE p.ledger = i.ledger AND p.invoice_id = i.ledger_id AND p.vanished_at IS NULL) >= i.amount))";

    internal static readonly string SelectSql = "SELECT i.ledger_id FROM mirror_invoices i WHERE " + Predicate;

    internal static string UpdateSql(Providers.DatabaseProvider provider) => provider == Providers.DatabaseProvider.SqlServer
        ? "UPDATE mirror_invoices SET settled_on = @today OUTPUT INSERTED.ledger_id WHERE ledger = @ledger AND ledger_id IN (" + SelectSql + ")"
        : "UPDATE mirror_invoices SET settled_on = @today WHERE ledger = @ledger AND ledger_id IN (" + SelectSql + ") RETURNING ledger_id";

    /// <summary>Marks the ledger's newly paid invoices settled and, unless this is a first load, records <c>invoice.paid</c> for each.</summary>
    /// <remarks>The events are recorded for the rows this update settled, not for the rows a query found before it: two
    /// syncs settling at once both find an invoice, but only one of them settles it and announces it.</remarks>
    /// <returns>How many invoices became settled.</returns>
    public static int Settle(CrmStore store, string ledger, bool emitEvents)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = StoreTime.Now(store.Time);
        var today = now[..10];
        using var connection = store.Open();
        using var transaction = connection.BeginTransaction();
        // One statement over every unsettled invoice of the ledger, with no time limit (as the client directory's fill):
        // on a first load that is every invoice, and at millions of them on PostgreSQL it runs past the 30-second default.
        var settled = connection.Query<string>(UpdateSql(store.Provider), new { ledger, today }, transaction, commandTimeout: 0).ToList();
        if (emitEvents)
        {
            foreach (var id in settled)
            {
                connection.Execute(MirrorWriter.EventInsertSql,
                    new { occurred_at = now, event_type = "invoice.paid", ledger, ledger_id = id, data = (string?)null }, transaction);
            }
        }

        transaction.Commit();
        return settled.Count;
    }

    /// <summary>Every statement this class sends.</summary>
    internal static IEnumerable<string> Statements() => [SelectSql, UpdateSql(Providers.DatabaseProvider.SqlServer)];
}

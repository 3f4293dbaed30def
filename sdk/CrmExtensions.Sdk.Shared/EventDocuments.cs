using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Model;

namespace CrmExtensions.Sdk.Shared;

/// <summary>Which document an event is about, by its type, for the host's dispatcher and the test kit alike (SDK 1.2).</summary>
internal static class EventDocuments
{
    /// <summary>The event with the invoice (<c>invoice.*</c>), payment (<c>payment.*</c>), counterparty (<c>counterparty.*</c>)
    /// or deal (<c>deal.*</c>, keyed by the deal's id) it is about, as the reader holds it now; other events unchanged.</summary>
    /// <param name="crmEvent">The event as recorded.</param>
    /// <param name="reader">Where the documents are read.</param>
    /// <param name="payment">Reads one payment by its key (the reader has no such query).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The event handlers get.</returns>
    public static async Task<CrmEvent> AttachAsync(CrmEvent crmEvent, ICrmReader reader, Func<LedgerKey, CancellationToken, Task<Payment?>> payment,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crmEvent);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(payment);
        var key = new LedgerKey(crmEvent.Ledger, crmEvent.LedgerId);
        var kind = crmEvent.Type.Split('.')[0];
        return new CrmEvent
        {
            Sequence = crmEvent.Sequence,
            Type = crmEvent.Type,
            OccurredAt = crmEvent.OccurredAt,
            Ledger = crmEvent.Ledger,
            LedgerId = crmEvent.LedgerId,
            Data = crmEvent.Data,
            Invoice = kind == "invoice" ? await reader.GetInvoiceAsync(key, cancellationToken).ConfigureAwait(false) : null,
            Payment = kind == "payment" ? await payment(key, cancellationToken).ConfigureAwait(false) : null,
            Counterparty = kind == "counterparty" ? await reader.GetCounterpartyAsync(key, cancellationToken).ConfigureAwait(false) : null,
            Deal = kind == "deal" ? await reader.GetDealAsync(crmEvent.LedgerId, cancellationToken).ConfigureAwait(false) : null,
        };
    }
}

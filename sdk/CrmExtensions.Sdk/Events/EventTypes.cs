namespace CrmExtensions.Sdk.Events;

/// <summary>The event types the host records today; new ones may appear, so match on the ones you need.</summary>
public static class EventTypes
{
    /// <summary>A counterparty appeared in a ledger.</summary>
    public const string CounterpartyCreated = "counterparty.created";

    /// <summary>A counterparty's mapped columns changed.</summary>
    public const string CounterpartyChanged = "counterparty.changed";

    /// <summary>A counterparty is no longer returned by its ledger.</summary>
    public const string CounterpartyVanished = "counterparty.vanished";

    /// <summary>An invoice appeared in a ledger.</summary>
    public const string InvoiceCreated = "invoice.created";

    /// <summary>An invoice's mapped columns changed.</summary>
    public const string InvoiceChanged = "invoice.changed";

    /// <summary>An invoice became fully paid.</summary>
    public const string InvoicePaid = "invoice.paid";

    /// <summary>A payment appeared in a ledger.</summary>
    public const string PaymentCreated = "payment.created";

    /// <summary>A contact person appeared in a ledger.</summary>
    public const string ContactCreated = "contact.created";

    /// <summary>Unification created a client record.</summary>
    public const string ClientCreated = "client.created";

    /// <summary>Unification merged client records.</summary>
    public const string ClientMerged = "client.merged";

    /// <summary>Unification split a client record.</summary>
    public const string ClientSplit = "client.split";

    /// <summary>A deal was opened, by a person or a plugin (SDK 1.2). <see cref="CrmEvent.Ledger"/> is empty and
    /// <see cref="CrmEvent.LedgerId"/> is the deal's id; <see cref="CrmEvent.Deal"/> carries the deal, <see cref="CrmEvent.Data"/>
    /// its <c>pipeline</c>, first <c>stage</c> and the <c>plugin</c> whose pipeline it is.</summary>
    public const string DealOpened = "deal.opened";

    /// <summary>A deal moved to another stage (SDK 1.2). <see cref="CrmEvent.Ledger"/> is empty and <see cref="CrmEvent.LedgerId"/>
    /// is the deal's id; <see cref="CrmEvent.Deal"/> carries the deal as it is now, <see cref="CrmEvent.Data"/> the move's
    /// <c>from</c>, <c>to</c>, <c>outcome</c> (won, lost or null) and <c>by</c>.</summary>
    public const string DealMoved = "deal.moved";
}

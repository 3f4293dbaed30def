using CrmExtensions.Sdk.Model;

namespace CrmExtensions.Sdk.Events;

/// <summary>One change the CRM recorded: a new counterparty, a paid invoice, a merged client.</summary>
/// <remarks>Events are delivered in <see cref="Sequence"/> order, once per handler; the host remembers what it delivered.</remarks>
public sealed class CrmEvent
{
    /// <summary>Gets the event's position in the store's log; increasing, with gaps.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets the event type, such as <c>invoice.paid</c> (see <see cref="EventTypes"/>); treat it as an open set.</summary>
    public required string Type { get; init; }

    /// <summary>Gets when the CRM recorded the change.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Gets the ledger the row belongs to; empty for client and deal events.</summary>
    public required string Ledger { get; init; }

    /// <summary>Gets the row's id in its ledger, the client id for client events, or the deal id for deal events.</summary>
    public required string LedgerId { get; init; }

    /// <summary>Gets the event's JSON payload, or <see langword="null"/>.</summary>
    public string? Data { get; init; }

    /// <summary>Gets the invoice an <c>invoice.*</c> event is about, as the store holds it when the event is delivered (SDK 1.2);
    /// null for other events, or when the row is no longer in the store.</summary>
    /// <remarks>A handler of <c>invoice.paid</c> needs no read of its own: the invoice, its amount, due and settled days are here.</remarks>
    public Invoice? Invoice { get; init; }

    /// <summary>Gets the payment a <c>payment.*</c> event is about, when the event is delivered (SDK 1.2); null otherwise.</summary>
    public Payment? Payment { get; init; }

    /// <summary>Gets the counterparty a <c>counterparty.*</c> event is about, when the event is delivered (SDK 1.2); null otherwise.</summary>
    public Counterparty? Counterparty { get; init; }

    /// <summary>Gets the deal a <c>deal.*</c> event is about, as it is when the event is delivered (SDK 1.2); null otherwise.</summary>
    public Deal? Deal { get; init; }
}

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

    /// <summary>Gets the ledger the row belongs to; empty for client events.</summary>
    public required string Ledger { get; init; }

    /// <summary>Gets the row's id in its ledger, or the client id for client events.</summary>
    public required string LedgerId { get; init; }

    /// <summary>Gets the event's JSON payload, or <see langword="null"/>.</summary>
    public string? Data { get; init; }
}

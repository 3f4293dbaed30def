namespace CrmExtensions.Mail.Outbox;

/// <summary>The values of <c>outbox.status</c>.</summary>
public static class OutboxStatus
{
    /// <summary>Waiting to be claimed by a dispatcher once <c>next_attempt_at</c> has come.</summary>
    public const string Queued = "queued";

    /// <summary>Claimed under a lease by a dispatcher, which is sending it now.</summary>
    public const string Sending = "sending";

    /// <summary>The server accepted it; its response is kept.</summary>
    public const string Sent = "sent";

    /// <summary>Refused for good (5xx) or out of attempts; never retried unless a person says so.</summary>
    public const string Failed = "failed";

    /// <summary>The connection dropped after DATA began: it may or may not have been delivered; never re-sent blindly.</summary>
    public const string Unknown = "unknown";

    /// <summary>A marketing mail to a suppressed address or client; not sent.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>Withdrawn before it was sent.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Marketing mail held because the unsubscribe settings are missing; queued again once they are set.</summary>
    public const string Held = "held";

    /// <summary>Marketing mail a plugin queued to a client with unresolved problems (overdue debt, an open complaint); never sent.</summary>
    public const string Withheld = "withheld";

    /// <summary>Every status, in the order <c>crmx mail status</c> lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Queued, Sending, Held, Sent, Failed, Unknown, Suppressed, Withheld, Cancelled];
}

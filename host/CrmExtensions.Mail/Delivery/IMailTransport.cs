using CrmExtensions.Mail.Outbox;
using MimeKit;

namespace CrmExtensions.Mail.Delivery;

/// <summary>How a delivery attempt ended.</summary>
internal enum DeliveryOutcome
{
    /// <summary>Accepted; the response says how.</summary>
    Sent,

    /// <summary>Not delivered, worth trying again later (4xx, no connection before DATA).</summary>
    Temporary,

    /// <summary>Refused for good (5xx).</summary>
    Permanent,

    /// <summary>The connection dropped after DATA began: maybe delivered, maybe not.</summary>
    Unknown,

    /// <summary>The lease was lost before DATA: another dispatcher owns the row now; nothing was sent.</summary>
    LeaseLost,
}

/// <summary>The result of one attempt, with the server's words.</summary>
internal sealed record DeliveryResult(DeliveryOutcome Outcome, string? Response, string? Error = null);

/// <summary>Delivers composed messages: over SMTP or into a pickup folder.</summary>
/// <remarks>Used by one dispatcher at a time; not thread-safe.</remarks>
internal interface IMailTransport : IAsyncDisposable
{
    /// <summary>Delivers one message; calls <paramref name="beforeData"/> right before the content goes out and sends nothing if it returns false.</summary>
    Task<DeliveryResult> SendAsync(OutboxRow row, MimeMessage message, Func<bool> beforeData, CancellationToken cancellationToken);
}

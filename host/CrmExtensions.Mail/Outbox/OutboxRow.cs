namespace CrmExtensions.Mail.Outbox;

/// <summary>One outbox row as a dispatcher claims it.</summary>
/// <remarks>Rows the plugin runtime queued carry their text in <see cref="Body"/> and no category (transactional).</remarks>
public sealed class OutboxRow
{
    /// <summary>Gets the row's id; the pickup file is named after it.</summary>
    public long Id { get; init; }

    /// <summary>Gets the business key: one mail per business fact.</summary>
    public string BusinessKey { get; init; } = "";

    /// <summary>Gets <c>transactional</c> or <c>marketing</c>; null (plugin rows) means transactional.</summary>
    public string? Category { get; init; }

    /// <summary>Gets who queued it.</summary>
    public string Source { get; init; } = "";

    /// <summary>Gets the template it was rendered from.</summary>
    public string Template { get; init; } = "";

    /// <summary>Gets the recipient's address.</summary>
    public string ToAddress { get; init; } = "";

    /// <summary>Gets the recipient's display name, if any.</summary>
    public string? ToName { get; init; }

    /// <summary>Gets the subject.</summary>
    public string Subject { get; init; } = "";

    /// <summary>Gets the plain text of rows queued before the outbox had separate bodies.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the HTML body, if any.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>Gets the plain-text body, if any.</summary>
    public string? TextBody { get; init; }

    /// <summary>Gets the unified client the mail concerns, if any.</summary>
    public long? ClientId { get; init; }

    /// <summary>Gets how many times sending ended (sent, refused, retried) so far.</summary>
    public long Attempts { get; init; }

    /// <summary>Gets a value indicating whether the mail is marketing, which a suppression stops.</summary>
    public bool IsMarketing => Category == OutboxStore.Marketing;
}

/// <summary>A mail whose fate is unknown, for <c>crmx mail status --unknown</c>.</summary>
public sealed class UnknownMail
{
    /// <summary>Gets the row's id, for <c>crmx mail retry ID</c>.</summary>
    public long Id { get; init; }

    /// <summary>Gets the business key.</summary>
    public string BusinessKey { get; init; } = "";

    /// <summary>Gets the recipient's address.</summary>
    public string ToAddress { get; init; } = "";

    /// <summary>Gets the subject.</summary>
    public string Subject { get; init; } = "";

    /// <summary>Gets when DATA began.</summary>
    public string? DataStartedAt { get; init; }

    /// <summary>Gets what went wrong.</summary>
    public string? LastError { get; init; }
}

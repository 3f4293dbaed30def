namespace CrmExtensions.Mail.Outbox;

/// <summary>Whether a mail is part of an ongoing business relation (dunning) or marketing (campaigns, greetings).</summary>
/// <remarks>An unsubscribe suppresses marketing mail only; transactional mail is still sent.</remarks>
public enum MailCategory
{
    /// <summary>A letter the business relation requires, such as a dunning letter.</summary>
    Transactional = 0,

    /// <summary>A campaign or greeting; never sent to a suppressed address or client.</summary>
    Marketing = 1,
}

/// <summary>A rendered mail to put into the outbox, once per business key.</summary>
/// <param name="BusinessKey">One mail per business fact: <c>campaign:{id}:{client}</c>, <c>dunning:{invoice}:{level}</c>, <c>birthday:{contact}:{year}</c>.</param>
/// <param name="Category">Transactional or marketing.</param>
/// <param name="Source">Who queued it: a plugin id, or <c>campaign:{id}</c>.</param>
/// <param name="Template">The template it was rendered from (pack/name).</param>
/// <param name="To">The recipient's address.</param>
/// <param name="Subject">The rendered subject.</param>
/// <param name="HtmlBody">The rendered HTML body, if any.</param>
/// <param name="TextBody">The rendered plain-text body, if any.</param>
public sealed record OutboxMessage(
    string BusinessKey,
    MailCategory Category,
    string Source,
    string Template,
    string To,
    string Subject,
    string? HtmlBody,
    string? TextBody)
{
    /// <summary>Gets the unified client the mail concerns, if any.</summary>
    public long? ClientId { get; init; }

    /// <summary>Gets the recipient's display name, if any.</summary>
    public string? ToName { get; init; }
}

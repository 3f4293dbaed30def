namespace CrmExtensions.Sdk.Mail;

/// <summary>A mail to render from one of the plugin's templates and queue once per business key.</summary>
/// <remarks>
/// The template's first line, when it starts with <c>Subject:</c>, is the subject; the rest is the body. The model's
/// entries are the template's variables; a variable the model lacks is an error (strict variables).
/// </remarks>
public sealed class OutgoingMail
{
    /// <summary>Gets the business key, such as <c>dunning:msk/INV-1:1</c>; a second mail with the same key is not queued.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the template's name: its file name without extension.</summary>
    public required string Template { get; init; }

    /// <summary>Gets the recipient's address.</summary>
    public required string To { get; init; }

    /// <summary>Gets the template's variables.</summary>
    public IReadOnlyDictionary<string, object?> Model { get; init; } = new Dictionary<string, object?>();

    /// <summary>Gets whether the mail is marketing, such as a greeting or an offer (SDK 1.1).</summary>
    /// <value>
    /// False (the default): a letter the business relation requires, such as dunning, sent whatever the recipient's
    /// consent. True: never sent to an address or client that unsubscribed, and carries an unsubscribe link.
    /// </value>
    public bool Marketing { get; init; }

    /// <summary>Gets the unified client the mail is for, if any; an unsubscribe then covers the whole client (SDK 1.1).</summary>
    public string? ClientId { get; init; }
}

/// <summary>A mail rendered from a template.</summary>
public sealed class RenderedMail
{
    /// <summary>Gets the business key.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the recipient's address.</summary>
    public required string To { get; init; }

    /// <summary>Gets the subject.</summary>
    public required string Subject { get; init; }

    /// <summary>Gets the body.</summary>
    public required string Body { get; init; }
}

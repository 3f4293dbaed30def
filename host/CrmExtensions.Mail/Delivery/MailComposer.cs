using System.Security.Cryptography;
using System.Text;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using MimeKit;

namespace CrmExtensions.Mail.Delivery;

/// <summary>Builds the MIME message of an outbox row: the same row always gives the same Message-Id.</summary>
internal sealed class MailComposer
{
    public const string KeyHeader = "X-Crmx-Key";

    private readonly MailboxAddress _from;
    private readonly string _domain;
    private readonly UnsubscribeLinks? _unsubscribe;

    public MailComposer(string from, UnsubscribeLinks? unsubscribe)
    {
        if (!MailboxAddress.TryParse(from, out var address) || !address.Address.Contains('@', StringComparison.Ordinal))
        {
            throw new CrmException($"'mail:from' must be an e-mail address, not '{from}'.");
        }

        _from = address;
        _domain = address.Domain;
        _unsubscribe = unsubscribe;
    }

    /// <summary>The Message-Id of a business key: stable, so a mail sent twice by mistake can be told apart from two mails.</summary>
    public string MessageId(string businessKey) =>
        "crmx." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(businessKey)).AsSpan(0, 16)) + "@" + _domain;

    /// <summary>Builds the message of a row.</summary>
    /// <exception cref="MailRowException">This row cannot become a mail (its recipient address, or missing settings); others can.</exception>
    public MimeMessage Compose(OutboxRow row)
    {
        if (AddressProblem(row.ToAddress) is { } problem)
        {
            throw new MailRowException(
                $"The recipient address '{Show(row.ToAddress)}' {problem}; correct it where it comes from, then 'crmx mail retry {row.Id}'.");
        }

        var message = new MimeMessage();
        message.From.Add(_from);
        message.To.Add(new MailboxAddress(row.ToName ?? "", row.ToAddress));
        message.Subject = row.Subject;
        message.MessageId = MessageId(row.BusinessKey);
        message.Headers.Add(KeyHeader, row.BusinessKey);
        var text = row.TextBody ?? (string.IsNullOrEmpty(row.Body) ? null : row.Body);
        var body = new BodyBuilder { TextBody = text, HtmlBody = row.HtmlBody };
        if (text is null && row.HtmlBody is null)
        {
            body.TextBody = "";
        }

        if (row.IsMarketing)
        {
            var links = _unsubscribe ?? throw new MailRowException(
                $"Mail {row.Id} is marketing, which must carry an unsubscribe link: set 'mail:unsubscribe:baseUrl' and 'mail:unsubscribe:secret'.");
            var link = links.Link(row.ToAddress, row.ClientId);
            message.Headers.Add("List-Unsubscribe", $"<{link}>, <mailto:{_from.Address}?subject=unsubscribe>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>Why an address is not one bare <c>local@domain</c> address, or null when it is.</summary>
    /// <remarks>Stricter than MimeKit's parser, which also takes lists, display names and angle brackets: the outbox
    /// holds one recipient per row, and anything more is a broken or hostile ledger value.</remarks>
    internal static string? AddressProblem(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return "is empty";
        }

        if (address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "contains a space or a line break";
        }

        if (address.IndexOfAny(['<', '>', ',', ';', '"', '(', ')', '[', ']', '\\']) >= 0)
        {
            return "must be one bare address such as name@example.com, without a name, brackets or a list";
        }

        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != address.LastIndexOf('@') || at == address.Length - 1)
        {
            return "must hold exactly one '@' between a name and a domain";
        }

        return MailboxAddress.TryParse(ParserOptions.Default, address, out var parsed) && parsed.Address == address
            ? null
            : "is not an e-mail address";
    }

    private static string Show(string value) => value.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary>One outbox row cannot become a mail; it fails (or is held) alone and the dispatcher goes on.</summary>
internal sealed class MailRowException(string message) : CrmException(message);

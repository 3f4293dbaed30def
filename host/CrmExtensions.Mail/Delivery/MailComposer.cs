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

    public MimeMessage Compose(OutboxRow row)
    {
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
            var links = _unsubscribe ?? throw new CrmException(
                $"Mail {row.Id} is marketing, which must carry an unsubscribe link: set 'mail:unsubscribe:baseUrl' and 'mail:unsubscribe:secret'.");
            var link = links.Link(row.ToAddress, row.ClientId);
            message.Headers.Add("List-Unsubscribe", $"<{link}>, <mailto:{_from.Address}?subject=unsubscribe>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        message.Body = body.ToMessageBody();
        return message;
    }
}

using CrmExtensions.Mail.Outbox;
using MimeKit;

namespace CrmExtensions.Mail.Campaigns;

/// <summary>Writes rendered mail as <c>.eml</c> files into a pickup folder, one per message, named by its business key.</summary>
internal static class CampaignPickup
{
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(string directory, IEnumerable<OutboxMessage> messages, string from, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach (var message in messages)
        {
            var mime = new MimeMessage { Subject = message.Subject, Date = date };
            mime.From.Add(MailboxAddress.Parse(from));
            mime.To.Add(new MailboxAddress(message.ToName ?? "", message.To));
            mime.Headers.Add("X-Crm-Business-Key", message.BusinessKey);
            var body = new BodyBuilder { HtmlBody = message.HtmlBody, TextBody = message.TextBody };
            mime.Body = body.ToMessageBody();
            var name = string.Concat(message.BusinessKey.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_')) + ".eml";
            var path = Path.Combine(directory, name);
            using (var stream = File.Create(path))
            {
                mime.WriteTo(stream);
            }

            files.Add(path);
        }

        return files;
    }
}

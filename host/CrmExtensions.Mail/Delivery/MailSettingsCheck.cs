using CrmExtensions.Mail.Consent;

namespace CrmExtensions.Mail.Delivery;

/// <summary>One thing wrong with the <c>mail</c> settings, naming the setting.</summary>
/// <param name="Setting">The setting at fault, as written in <c>crmx.json</c> (<c>mail:smtp:security</c>).</param>
/// <param name="Message">What is wrong and what to do.</param>
/// <param name="Blocking">Whether mail cannot be sent as configured; false when only marketing mail would be held.</param>
public sealed record MailSettingProblem(string Setting, string Message, bool Blocking)
{
    /// <summary>The one-line form: <c>mail:from: message</c>.</summary>
    public override string ToString() => Setting + ": " + Message;
}

/// <summary>Checks the <c>mail</c> settings before anything is queued: what the dispatcher would otherwise find one row at a time.</summary>
/// <remarks>
/// A setting the dispatcher reads silently wrongly is reported too: an unknown <c>mail:smtp:security</c> would send in
/// plain text, an SMTP section without a host would write mail into the pickup folder.
/// </remarks>
public static class MailSettingsCheck
{
    private static readonly string[] Securities = ["none", "starttls", "tls", "ssl"];

    /// <summary>Every problem of the settings at once; empty when mail, marketing included, can be sent.</summary>
    /// <param name="from">The sender address (<c>mail:from</c>).</param>
    /// <param name="smtp">The SMTP server (<c>mail:smtp</c>), or null for the pickup folder.</param>
    /// <param name="pickupDirectory">The pickup folder (<c>mail:pickupDirectory</c>).</param>
    /// <param name="unsubscribe">The unsubscribe links (<c>mail:unsubscribe</c>), or null.</param>
    public static IReadOnlyList<MailSettingProblem> Check(string? from, SmtpSettings? smtp, string? pickupDirectory, UnsubscribeOptions? unsubscribe)
    {
        var problems = new List<MailSettingProblem>();
        if (MailComposer.AddressProblem(from ?? "") is { } fromProblem)
        {
            problems.Add(new("mail:from", $"'{from}' {fromProblem}; set it to the address mail is sent from, such as crm@example.com.", true));
        }

        if (smtp is not null)
        {
            CheckSmtp(smtp, problems);
        }

        if (smtp is not { Host.Length: > 0 } && string.IsNullOrWhiteSpace(pickupDirectory))
        {
            problems.Add(new("mail:pickupDirectory", "is empty and no SMTP server is set: set 'mail:smtp:host', or a folder for .eml files.", true));
        }

        CheckUnsubscribe(unsubscribe, problems);
        return problems;
    }

    private static void CheckSmtp(SmtpSettings smtp, List<MailSettingProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            // An SMTP section without a host sends nothing by SMTP: mail would quietly go to the pickup folder.
            if (smtp.User is not null || smtp.Password is not null || smtp.Port != 25 || !smtp.Security.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new("mail:smtp:host", "is empty, so mail goes to the pickup folder although SMTP settings are given; set the server's host name, or remove 'mail:smtp'.", true));
            }

            return;
        }

        if (smtp.Port is < 1 or > 65535)
        {
            problems.Add(new("mail:smtp:port", $"{smtp.Port} is not a port; use 25, 587 (STARTTLS) or 465 (TLS).", true));
        }

        if (!Securities.Contains(smtp.Security.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            problems.Add(new("mail:smtp:security", $"'{smtp.Security}' is not one of none, starttls, tls; it would be sent in plain text.", true));
        }

        if (string.IsNullOrEmpty(smtp.User) && !string.IsNullOrEmpty(smtp.Password))
        {
            problems.Add(new("mail:smtp:user", "is empty while a password is set, so the password would never be used; set the user name.", true));
        }

        if (smtp.MessagesPerMinute < 0)
        {
            problems.Add(new("mail:smtp:messagesPerMinute", $"{smtp.MessagesPerMinute} is negative; 0 means no limit.", true));
        }

        if (smtp.MaxAttempts < 1)
        {
            problems.Add(new("mail:smtp:maxAttempts", $"{smtp.MaxAttempts} would never try a mail; use 1 or more (5 by default).", true));
        }
    }

    private static void CheckUnsubscribe(UnsubscribeOptions? unsubscribe, List<MailSettingProblem> problems)
    {
        var hasUrl = !string.IsNullOrWhiteSpace(unsubscribe?.BaseUrl);
        var hasSecret = !string.IsNullOrWhiteSpace(unsubscribe?.Secret);
        if (!hasUrl && !hasSecret)
        {
            problems.Add(new("mail:unsubscribe", "is not set: marketing mail (campaigns, greetings) will be held until 'mail:unsubscribe:baseUrl' and 'mail:unsubscribe:secret' are set; transactional mail is sent.", false));
            return;
        }

        if (!hasSecret)
        {
            problems.Add(new("mail:unsubscribe:secret", "is missing, so marketing mail will be held; set 16 characters or more (in production from CRMX__mail__unsubscribe__secret).", true));
        }
        else if (unsubscribe!.Secret!.Length < 16)
        {
            problems.Add(new("mail:unsubscribe:secret", $"has {unsubscribe.Secret.Length} characters; 16 or more are needed to sign unsubscribe links.", true));
        }

        if (!Uri.TryCreate(unsubscribe?.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add(new("mail:unsubscribe:baseUrl", hasUrl
                ? $"'{unsubscribe!.BaseUrl}' is not an http(s) address such as https://crm.example.com."
                : "is missing, so marketing mail cannot carry an unsubscribe link; set the web address such as https://crm.example.com.", true));
        }
    }
}

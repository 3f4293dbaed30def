namespace CrmExtensions.Mail.Delivery;

/// <summary>The <c>mail:smtp</c> section of <c>crmx.json</c>: the SMTP server and how fast to send to it.</summary>
public sealed class SmtpSettings
{
    /// <summary>Gets or sets the server's host name or address.</summary>
    public string Host { get; set; } = "";

    /// <summary>Gets or sets the port.</summary>
    /// <value>25 by default; 587 for STARTTLS submission, 465 for TLS.</value>
    public int Port { get; set; } = 25;

    /// <summary>Gets or sets the user name to authenticate as, or null to send without authentication.</summary>
    public string? User { get; set; }

    /// <summary>Gets or sets the password; in production from <c>CRMX__mail__smtp__password</c>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets the transport security: <c>none</c>, <c>starttls</c> or <c>tls</c>.</summary>
    /// <value><c>none</c> by default.</value>
    public string Security { get; set; } = "none";

    /// <summary>Gets or sets the most messages sent per minute by one dispatcher; 0 means no limit.</summary>
    public int MessagesPerMinute { get; set; }

    /// <summary>Gets or sets how many times a mail is tried before a temporary failure becomes permanent.</summary>
    /// <value>5 by default.</value>
    public int MaxAttempts { get; set; } = 5;
}

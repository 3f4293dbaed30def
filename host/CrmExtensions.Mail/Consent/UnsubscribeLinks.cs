using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrmExtensions.Store;

namespace CrmExtensions.Mail.Consent;

/// <summary>The <c>mail:unsubscribe</c> section of <c>crmx.json</c>.</summary>
public sealed class UnsubscribeOptions
{
    /// <summary>Gets or sets the web address unsubscribe links start with; the token follows <c>/unsubscribe?t=</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Gets or sets the secret links are signed with; at least 16 characters; in production from <c>CRMX__mail__unsubscribe__secret</c>.</summary>
    public string? Secret { get; set; }
}

/// <summary>What a valid unsubscribe token says.</summary>
/// <param name="Address">The address to suppress, as it was mailed.</param>
/// <param name="ClientId">The client the mail was for, if any.</param>
/// <param name="IssuedAt">When the link was made.</param>
public sealed record UnsubscribeRequest(string Address, long? ClientId, DateTimeOffset IssuedAt);

/// <summary>Signed, unguessable unsubscribe links: HMAC-SHA256 over the client, the address and the issue time.</summary>
/// <remarks>Thread-safe. A token is <c>base64url(payload).base64url(mac)</c>; verification is constant-time.</remarks>
public sealed class UnsubscribeLinks
{
    private const string Version = "u1";
    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    /// <summary>Creates links for a base address and a secret.</summary>
    /// <exception cref="CrmException">The base address or the secret is missing or too weak.</exception>
    public UnsubscribeLinks(string? baseUrl, string? secret, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < 16)
        {
            throw new CrmException("Marketing mail needs signed unsubscribe links: set 'mail:unsubscribe:secret' (16 characters or more; " +
                "in production from the environment variable CRMX__mail__unsubscribe__secret).");
        }

        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new CrmException($"'mail:unsubscribe:baseUrl' must be an http(s) address such as https://crm.example.com, not '{baseUrl}'.");
        }

        BaseUrl = baseUrl!.TrimEnd('/');
        _secret = Encoding.UTF8.GetBytes(secret);
        _time = time;
    }

    /// <summary>Gets the address links start with.</summary>
    public string BaseUrl { get; }

    /// <summary>Creates links from configuration, or returns null when no secret is configured.</summary>
    public static UnsubscribeLinks? FromOptions(UnsubscribeOptions? options, TimeProvider time) =>
        string.IsNullOrWhiteSpace(options?.Secret) ? null : new UnsubscribeLinks(options.BaseUrl, options.Secret, time);

    /// <summary>A token for an address and, if known, its client.</summary>
    public string Token(string address, long? clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var payload = string.Join('\n', Version, clientId?.ToString(CultureInfo.InvariantCulture) ?? "",
            SuppressionList.Normalize(address), _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var bytes = Encoding.UTF8.GetBytes(payload);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_secret, bytes));
    }

    /// <summary>The web link for an address and client: <c>{baseUrl}/unsubscribe?t={token}</c>, the page <c>crmx serve</c> answers.</summary>
    /// <remarks>The token is base64url text and a dot: nothing in it needs escaping in a query.</remarks>
    public string Link(string address, long? clientId) => BaseUrl + "/unsubscribe?t=" + Token(address, clientId);

    /// <summary>Checks a token (or a whole link) and says what it asks for.</summary>
    /// <exception cref="CrmException">The token is malformed, forged or altered.</exception>
    public UnsubscribeRequest Verify(string tokenOrLink)
    {
        ArgumentNullException.ThrowIfNull(tokenOrLink);
        var token = tokenOrLink.Trim();
        // A whole link: the current form (…/unsubscribe?t=TOKEN) or the one mails sent by earlier versions carry (…/u/TOKEN).
        var query = Math.Max(token.LastIndexOf("?t=", StringComparison.Ordinal), token.LastIndexOf("&t=", StringComparison.Ordinal));
        if (query >= 0)
        {
            token = token[(query + 3)..];
        }

        // A mail client or a tracker may append a query (?utm_source=mail), another parameter or a fragment: none is part
        // of the token, whose alphabet (base64url and '.') has no '?', '&' or '#'.
        var end = token.IndexOfAny(['?', '&', '#']);
        if (end >= 0)
        {
            token = token[..end];
        }

        token = token.TrimEnd('/');
        var slash = token.LastIndexOf("/u/", StringComparison.Ordinal);
        if (slash >= 0)
        {
            token = token[(slash + 3)..];
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        byte[] payload;
        byte[] mac;
        try
        {
            payload = dot > 0 ? Base64Url.DecodeFromChars(token.AsSpan(0, dot)) : [];
            mac = dot > 0 ? Base64Url.DecodeFromChars(token.AsSpan(dot + 1)) : [];
        }
        catch (FormatException)
        {
            payload = mac = [];
        }

        // Compared in constant time, so a forger learns nothing from how long the check took.
        if (payload.Length == 0 || !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_secret, payload)))
        {
            throw new CrmException("This unsubscribe link is not valid: it was altered, forged or signed with another secret. Nothing was changed.");
        }

        var parts = Encoding.UTF8.GetString(payload).Split('\n');
        if (parts.Length != 4 || parts[0] != Version || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var issued))
        {
            throw new CrmException("This unsubscribe link is signed but in a format this version does not know. Nothing was changed.");
        }

        long? clientId = long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;
        return new UnsubscribeRequest(parts[2], clientId, DateTimeOffset.FromUnixTimeSeconds(issued));
    }
}

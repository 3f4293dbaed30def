namespace CrmExtensions.Unification.Internal;

/// <summary>Phone, mail and web normalisation; free mail domains never link anything.</summary>
internal static class Contacts
{
    private static readonly HashSet<string> FreeMailDomains = new(StringComparer.Ordinal)
    {
        "mail.ru", "bk.ru", "list.ru", "inbox.ru", "internet.ru", "mail.ua", "yandex.ru", "ya.ru", "yandex.com",
        "yandex.by", "yandex.kz", "yandex.ua", "narod.ru", "rambler.ru", "lenta.ru", "autorambler.ru", "myrambler.ru",
        "ro.ru", "qip.ru", "pochta.ru", "e1.ru", "ngs.ru", "hotbox.ru", "gmail.com", "googlemail.com", "outlook.com",
        "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com",
        "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "zoho.com", "mail.com", "tut.by",
        "ukr.net", "i.ua", "meta.ua",
    };

    /// <summary>The line's digits in international form ("8 (343) 751-29-74" and "343 7512974" are both 73437512974),
    /// with any extension kept apart: "+7 863 926-99-27 доб. 426" is 78639269927#426, so two firms in one business
    /// centre, behind one switchboard, do not share a phone. Of several numbers in one field, the first.</summary>
    public static string? Phone(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        Span<char> digits = stackalloc char[16];
        Span<char> extension = stackalloc char[8];
        var n = 0;
        var e = 0;
        var inExtension = false;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                if (inExtension)
                {
                    if (e < extension.Length)
                    {
                        extension[e++] = c;
                    }
                }
                else if (n < digits.Length)
                {
                    digits[n++] = c;
                }
            }
            else if ((char.IsLetter(c) || c == '#') && n >= 7 && !inExtension)
            {
                // "доб. 123", "ext 12", "#12": what follows is the extension.
                inExtension = true;
            }
            else if (c is ',' or ';' or '/' or '\\' or '|' or '\n' && n >= 10)
            {
                // "8-910-123-45-67, 8-495-111-22-33", "(495) 123-45-67/68": the first number is the row's phone, as the
                // first address is its mail.
                break;
            }
        }

        if (n < 7)
        {
            return null;
        }

        var s = new string(digits[..n]);
        if (n == 11 && s[0] == '8')
        {
            s = "7" + s[1..];
        }
        else if (n == 10)
        {
            // A Russian number written without the country code: "(343) 751-29-74", "912 345 67 89".
            s = "7" + s;
        }

        return e == 0 ? s : s + "#" + new string(extension[..e]);
    }

    public static string? Email(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var e = raw.Trim().ToLowerInvariant();
        var separator = e.IndexOfAny([';', ',', ' ']);
        if (separator > 0)
        {
            e = e[..separator];
        }

        var at = e.LastIndexOf('@');
        return at > 0 && at < e.Length - 3 && e.IndexOf('.', at) > at ? e : null;
    }

    public static string? EmailDomain(string? email) => email is null ? null : email[(email.LastIndexOf('@') + 1)..];

    public static string? WebDomain(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var w = raw.Trim().ToLowerInvariant();
        var scheme = w.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            w = w[(scheme + 3)..];
        }

        var end = w.IndexOfAny(['/', '?', ':', '#', ' ']);
        if (end >= 0)
        {
            w = w[..end];
        }

        if (w.StartsWith("www.", StringComparison.Ordinal))
        {
            w = w[4..];
        }

        return w.Contains('.', StringComparison.Ordinal) && w.Length > 3 ? w : null;
    }

    public static bool IsFreeMail(string domain) => FreeMailDomains.Contains(domain);
}

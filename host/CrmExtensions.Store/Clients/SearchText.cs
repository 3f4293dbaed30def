using System.Text;

namespace CrmExtensions.Store.Clients;

/// <summary>How members are written into the search index and how a search term is read: one folding for both sides.</summary>
/// <remarks>
/// Text is folded to lower case (Cyrillic and Latin alike), <c>ё</c> becomes <c>е</c>, and only letters and digits are
/// kept: spaces, quotes, hyphens, dots, commas, <c>@</c>, <c>&amp;</c> are left out, so a name is found however its words
/// are split, joined or set off — <c>ооо ромашка</c> finds <c>ООО «Ромашка»</c>, <c>стройинвест</c> finds <c>Строй
/// Инвест</c> and <c>строй инвест</c> finds <c>Стройинвест</c>. Phones are kept as their digits, a Russian 11-digit number
/// (<c>+7</c> or <c>8</c>) as its last ten, so <c>8 (495) 123-45-67</c> finds <c>+7 495 1234567</c>. The parts of a
/// member's text are separated by <c>|</c>, which no folded part holds, so a term never runs from one part into the next.
/// </remarks>
internal static class SearchText
{
    /// <summary>The indexed text of one member: its name, the legal entity's name, INN, phones and e-mail, folded.</summary>
    public static string Document(string? name, string? entityName, string? taxId, string? phone, string? email)
    {
        var sb = new StringBuilder();
        Append(sb, Fold(name));
        if (!string.Equals(entityName, name, StringComparison.Ordinal))
        {
            Append(sb, Fold(entityName));
        }

        Append(sb, taxId?.Trim());
        foreach (var number in Phones(phone))
        {
            Append(sb, number);
        }

        Append(sb, Fold(email));
        return sb.ToString();
    }

    /// <summary>A LIKE pattern for "contains <paramref name="term"/>" in lower case, its <c>%</c>, <c>_</c> and <c>\</c>
    /// escaped with <c>\</c>: the statement must say <c>ESCAPE '\'</c>. A name typed as "%" finds names with a percent
    /// sign, not every client.</summary>
    public static string ContainsPattern(string term) => "%" + EscapeLike(term.ToLowerInvariant()) + "%";

    /// <summary>Text with the LIKE wildcards <c>%</c> and <c>_</c> (and the escape <c>\</c>) escaped with <c>\</c>.</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>Folds text for comparison; null stays null, and so does text of no letter or digit.</summary>
    public static string? Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                var lower = char.ToLowerInvariant(ch);
                sb.Append(lower == 'ё' ? 'е' : lower);
            }
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>The characters migration 33 leaves out of the texts written before it: the space and every character
    /// <see cref="Fold"/> leaves out that names and e-mails hold in practice (<c>|</c>, the parts' separator, is kept).</summary>
    internal const string Punctuation = " «»\"'`‘’‚“”„,.;:!?()[]{}<>-‐‑–—/\\№#&*+=_~@%^$";

    /// <summary>What a person typed, as the text to find in the index: the digits of a phone or INN, else the folded text.</summary>
    public static string Term(string search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var trimmed = search.Trim();
        if (!trimmed.Contains('@', StringComparison.Ordinal) && trimmed.Length > 0 && trimmed.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.'))
        {
            var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
            if (digits.Length > 0)
            {
                return Phone(digits);
            }
        }

        return Fold(trimmed) ?? "";
    }

    private static IEnumerable<string> Phones(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            yield break;
        }

        // A field may hold several numbers ("+7 495 123-45-67, доб. 12; 8 800 ..."): each run of phone characters is one.
        foreach (var part in phone.Split([',', ';', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            var digits = new string(part.Where(char.IsAsciiDigit).ToArray());
            if (digits.Length >= 5)
            {
                yield return Phone(digits);
            }
        }
    }

    private static string Phone(string digits) => digits.Length == 11 && digits[0] is '7' or '8' ? digits[1..] : digits;

    private static void Append(StringBuilder sb, string? part)
    {
        if (string.IsNullOrEmpty(part))
        {
            return;
        }

        if (sb.Length > 0)
        {
            sb.Append('|');
        }

        sb.Append(part);
    }
}

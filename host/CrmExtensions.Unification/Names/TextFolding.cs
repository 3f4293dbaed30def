using System.Globalization;
using System.Text;

namespace CrmExtensions.Unification.Names;

/// <summary>
/// One canonical Latin spelling for a word written in Cyrillic or in any of the usual transliterations.
/// </summary>
/// <remarks>
/// The key is for comparison only, never shown. Variants are folded rather than transliterated "correctly":
/// sch/shch → sh, kh → h, ts/tz/ц → z, c → k (not before h), w → v, x → ks, y/j/й → i, doubled letters once,
/// then a glide i before a vowel at the start of a word or after a vowel is dropped (Yu/Iu/U, Ya/Ia/A, Ye/E).
/// </remarks>
internal static class TextFolding
{
    private static readonly string[] Cyrillic = BuildCyrillic();

    public static string Fold(string token)
    {
        var latin = new StringBuilder(token.Length + 4);
        foreach (var c in token)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                latin.Append(c);
            }
            else if (c is >= 'а' and <= 'я' or 'ё')
            {
                latin.Append(Cyrillic[c == 'ё' ? 'е' - 'а' : c - 'а']);
            }
            else if (c > 127)
            {
                AppendWithoutDiacritics(latin, c);
            }
        }

        var s = latin.ToString();
        var folded = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length;)
        {
            var rest = s.AsSpan(i);
            if (rest.StartsWith("tsch", StringComparison.Ordinal)) { Put(folded, "ch"); i += 4; }
            else if (rest.StartsWith("shch", StringComparison.Ordinal)) { Put(folded, "sh"); i += 4; }
            else if (rest.StartsWith("sch", StringComparison.Ordinal)) { Put(folded, "sh"); i += 3; }
            else if (rest.StartsWith("ch", StringComparison.Ordinal)) { Put(folded, "ch"); i += 2; }
            else if (rest.StartsWith("kh", StringComparison.Ordinal)) { Put(folded, "h"); i += 2; }
            else if (rest.StartsWith("ts", StringComparison.Ordinal) || rest.StartsWith("tz", StringComparison.Ordinal)) { Put(folded, "z"); i += 2; }
            else if (rest.StartsWith("ph", StringComparison.Ordinal)) { Put(folded, "f"); i += 2; }
            else if (rest.StartsWith("ck", StringComparison.Ordinal)) { Put(folded, "k"); i += 2; }
            else
            {
                var c = s[i];
                Put(folded, c switch
                {
                    'c' => "k",
                    'q' => "k",
                    'w' => "v",
                    'x' => "ks",
                    'y' or 'j' => "i",
                    _ => null,
                } ?? c.ToString());
                i++;
            }
        }

        return DropGlides(folded.ToString());
    }

    private static void Put(StringBuilder sb, string value)
    {
        foreach (var c in value)
        {
            // Doubled letters are folded so that "Kassa"/"Kasa" and "Dmitrii"/"Dmitri" meet; digits keep their count.
            if (sb.Length > 0 && sb[^1] == c && !char.IsAsciiDigit(c))
            {
                continue;
            }

            sb.Append(c);
        }
    }

    private static string DropGlides(string s)
    {
        if (s.Length < 2 || !s.Contains('i', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var glide = s[i] == 'i' && i + 1 < s.Length && IsVowel(s[i + 1]) && s[i + 1] != 'i'
                && (i == 0 || IsVowel(s[i - 1]));
            if (!glide)
            {
                sb.Append(s[i]);
            }
        }

        return sb.ToString();
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    private static void AppendWithoutDiacritics(StringBuilder sb, char c)
    {
        foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
        {
            if (d is >= 'a' and <= 'z')
            {
                sb.Append(d);
            }
            else if (d == 'ß')
            {
                sb.Append("ss");
            }
            else if (char.IsLetterOrDigit(d) && CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark && d > 127)
            {
                // Scripts with no transliteration here (Greek, CJK) stay as they are: still comparable to themselves.
                sb.Append(d);
            }
        }
    }

    private static string[] BuildCyrillic() =>
    [
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
    ];
}

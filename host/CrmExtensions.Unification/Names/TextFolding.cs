using System.Globalization;
using System.Text;

namespace CrmExtensions.Unification.Names;

/// <summary>
/// One canonical Latin spelling for a word written in Cyrillic or in any of the usual transliterations.
/// </summary>
/// <remarks>
/// The key is for comparison only, never shown. Variants are folded rather than transliterated "correctly":
/// sch/shch → sh, kh → h, ts/tz/ц → z, c → k (not before h), w → v, x → ks, y/j/й → i, ae/oe/ue → a/o/u (an umlaut
/// written out, as ä, ö, ü decompose to a, o, u), doubled letters once,
/// then a glide i before a vowel at the start of a word or after a vowel is dropped (Yu/Iu/U, Ya/Ia/A, Ye/E).
/// </remarks>
internal static class TextFolding
{
    private static readonly string[] Cyrillic = BuildCyrillic();

    // Words repeat far more than they vary (a million addresses hold a few hundred thousand distinct words);
    // past this size the cache stops growing, so junk input cannot fill memory.
    private const int MaxCached = 500_000;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);
    private static int _cached;

    // Letters that look the same in both alphabets (lower-cased: "B", "H", "M", "T" and "K" are the upper-case look-alikes).
    private const string LatinLookAlikes = "aceopxykmthb";
    private const string CyrillicLookAlikes = "асеорхукмтнв";

    /// <summary>Initials typed in the other alphabet than the name's words ("Петров A.B." with a Latin A and B, a keyboard
    /// layout not switched for two letters): read in the words' alphabet, where every letter is a look-alike and every
    /// word of three letters or more is in one alphabet.</summary>
    internal static void InitialsInScriptOfWords(List<string> tokens)
    {
        var (latinWords, cyrillicWords) = (0, 0);
        foreach (var t in tokens)
        {
            if (t.Length >= 3)
            {
                latinWords += t.Any(c => c is >= 'a' and <= 'z') ? 1 : 0;
                cyrillicWords += t.Any(c => c is >= 'а' and <= 'я' or 'ё') ? 1 : 0;
            }
        }

        var (from, to) = cyrillicWords > 0 && latinWords == 0 ? (LatinLookAlikes, CyrillicLookAlikes)
            : latinWords > 0 && cyrillicWords == 0 ? (CyrillicLookAlikes, LatinLookAlikes)
            : (null, null);
        if (from is null)
        {
            return;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Length <= 2 && t.All(c => from.Contains(c, StringComparison.Ordinal)))
            {
                tokens[i] = Translate(t, from, to!);
            }
        }
    }

    /// <summary>A word typed in two alphabets at once ("Pомашка" with a Latin P, "Сompany" with a Cyrillic С) in the
    /// alphabet most of its letters are in, where every letter of the other is a look-alike; any other word as it is
    /// ("iPhoneсервис" keeps its Latin).</summary>
    internal static string OneScript(string token)
    {
        var (latin, cyrillic, latinLookAlikes, cyrillicLookAlikes) = (0, 0, 0, 0);
        foreach (var c in token)
        {
            if (c is >= 'a' and <= 'z')
            {
                latin++;
                latinLookAlikes += LatinLookAlikes.Contains(c, StringComparison.Ordinal) ? 1 : 0;
            }
            else if (c is >= 'а' and <= 'я' or 'ё')
            {
                cyrillic++;
                cyrillicLookAlikes += CyrillicLookAlikes.Contains(c, StringComparison.Ordinal) ? 1 : 0;
            }
        }

        if (latin == 0 || cyrillic == 0)
        {
            return token;
        }

        var (from, to) = cyrillic >= latin && latinLookAlikes == latin ? (LatinLookAlikes, CyrillicLookAlikes)
            : latin > cyrillic && cyrillicLookAlikes == cyrillic ? (CyrillicLookAlikes, LatinLookAlikes)
            : (null, null);
        if (from is null)
        {
            return token;
        }

        return Translate(token, from, to!);
    }

    /// <summary>The word with each look-alike letter of one alphabet (<paramref name="from"/>) written in the other
    /// (<paramref name="to"/>, letter for letter); any other character as it is.</summary>
    private static string Translate(string token, string from, string to) =>
        string.Create(token.Length, (token, from, to), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = state.token[i];
                var at = state.from.IndexOf(c, StringComparison.Ordinal);
                span[i] = at >= 0 ? state.to[at] : c;
            }
        });

    /// <summary><see cref="Fold"/> through a process-wide cache of words already folded.</summary>
    public static string FoldCached(string token)
    {
        if (Cache.TryGetValue(token, out var folded))
        {
            return folded;
        }

        folded = Fold(token);
        // ConcurrentDictionary.Count takes every lock; a counter of our own does not.
        if (Volatile.Read(ref _cached) < MaxCached && Cache.TryAdd(token, folded))
        {
            Interlocked.Increment(ref _cached);
        }

        return folded;
    }

    public static string Fold(string token)
    {
        token = OneScript(token);
        // Cyrillic expands to at most four Latin letters per character.
        var latin = token.Length <= 64 ? stackalloc char[token.Length * 4] : new char[token.Length * 4];
        var n = 0;
        foreach (var c in token)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                latin[n++] = c;
            }
            else if (c is >= 'а' and <= 'я' or 'ё')
            {
                foreach (var l in Cyrillic[c == 'ё' ? 'е' - 'а' : c - 'а'])
                {
                    latin[n++] = l;
                }
            }
            else if (c > 127)
            {
                var rest = Decompose(c);
                if (n + rest.Length > latin.Length)
                {
                    break;
                }

                rest.AsSpan().CopyTo(latin[n..]);
                n += rest.Length;
            }
        }

        Span<char> folded = stackalloc char[n * 2 + 1];
        var m = 0;
        for (var i = 0; i < n;)
        {
            var c = latin[i];
            var next = i + 1 < n ? latin[i + 1] : '\0';
            var consumed = 1;
            switch (c)
            {
                case 't' when next == 's' && i + 3 < n && latin[i + 2] == 'c' && latin[i + 3] == 'h':
                    Put(folded, ref m, 'c');
                    Put(folded, ref m, 'h');
                    consumed = 4;
                    break;
                case 's' when next == 'h' && i + 3 < n && latin[i + 2] == 'c' && latin[i + 3] == 'h':
                    Put(folded, ref m, 's');
                    Put(folded, ref m, 'h');
                    consumed = 4;
                    break;
                case 's' when next == 'c' && i + 2 < n && latin[i + 2] == 'h':
                    Put(folded, ref m, 's');
                    Put(folded, ref m, 'h');
                    consumed = 3;
                    break;
                case 'c' when next == 'h':
                    Put(folded, ref m, 'c');
                    Put(folded, ref m, 'h');
                    consumed = 2;
                    break;
                case 'k' when next == 'h':
                    Put(folded, ref m, 'h');
                    consumed = 2;
                    break;
                case 't' when next is 's' or 'z':
                    Put(folded, ref m, 'z');
                    consumed = 2;
                    break;
                case 'p' when next == 'h':
                    Put(folded, ref m, 'f');
                    consumed = 2;
                    break;
                case 'c' when next == 'k':
                    Put(folded, ref m, 'k');
                    consumed = 2;
                    break;
                case 'c' or 'q':
                    Put(folded, ref m, 'k');
                    break;
                case 'w':
                    Put(folded, ref m, 'v');
                    break;
                case 'x':
                    Put(folded, ref m, 'k');
                    Put(folded, ref m, 's');
                    break;
                case 'y' or 'j':
                    Put(folded, ref m, 'i');
                    break;
                default:
                    Put(folded, ref m, c);
                    break;
            }

            i += consumed;
        }

        return DropSilentLetters(folded[..m]);
    }

    private static void Put(Span<char> buffer, ref int length, char c)
    {
        // Doubled letters are folded so that "Kassa"/"Kasa" and "Dmitrii"/"Dmitri" meet; digits keep their count.
        if (length > 0 && buffer[length - 1] == c && !char.IsAsciiDigit(c))
        {
            return;
        }

        buffer[length++] = c;
    }

    private static string DropSilentLetters(ReadOnlySpan<char> s)
    {
        Span<char> result = stackalloc char[s.Length];
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var glide = s[i] == 'i' && i + 1 < s.Length && IsVowel(s[i + 1]) && s[i + 1] != 'i'
                && (i == 0 || IsVowel(s[i - 1]));
            // An umlaut written out ("Mueller" / "Müller", "Kuehne" / "Kühne", "Gaertner" / "Gärtner") is written
            // without its e, as ü decomposes to u: inside a word, after a letter and before a consonant that is not its
            // last (the e of "Lue", "Joe's" or "Новое" is a letter of its own: "Joe's" is not "Joss"); after the glides,
            // so that "Novoye" and "Новое" still meet.
            var umlaut = s[i] == 'e' && n > 1 && result[n - 1] is 'a' or 'o' or 'u' && i + 2 < s.Length && !IsVowel(s[i + 1]);
            if (!glide && !umlaut)
            {
                result[n++] = s[i];
            }
        }

        return new string(result[..n]);
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    private static string Decompose(char c)
    {
        var sb = new StringBuilder(2);
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

        return sb.ToString();
    }

    private static string[] BuildCyrillic() =>
    [
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
    ];
}

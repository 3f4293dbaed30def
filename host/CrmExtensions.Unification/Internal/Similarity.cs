using System.Buffers;
using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Internal;

/// <summary>Token-set similarity weighted by rarity (IDF over the input), tolerant of typos and abbreviations.</summary>
internal static class Similarity
{
    /// <summary>
    /// Weighted share of each side's tokens found on the other side: identical sets score 1, and a rare word
    /// in common counts for more than a frequent one.
    /// </summary>
    public static float SoftTokens(int[] a, int[] b, float[] idf, StringPool pool, float containment = 0f)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0f;
        }

        var (numA, denA, numB, denB) = Sums(a, b, idf, pool);
        var den = denA + denB;
        var dice = den <= 0 ? 0f : (numA + numB) / den;
        if (containment <= 0f || denA <= 0 || denB <= 0)
        {
            return dice;
        }

        // One side wholly inside the other ("Virgil's" / "Virgil's Real BBQ") is strong, but not full, agreement.
        var contained = Math.Max(numA / denA, numB / denB);
        return Math.Max(dice, containment * contained);
    }

    /// <summary>The weighted Dice overlap of two token sets and the weighted share of each side found in the other
    /// (1 when the side is wholly contained in the other).</summary>
    public static (float Dice, float InA, float InB) Overlap(int[] a, int[] b, float[] idf, StringPool pool)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return (0f, 0f, 0f);
        }

        var (numA, denA, numB, denB) = Sums(a, b, idf, pool);
        var den = denA + denB;
        return (den <= 0 ? 0f : (numA + numB) / den, denA <= 0 ? 0f : numA / denA, denB <= 0 ? 0f : numB / denB);
    }

    /// <summary>Each side's weight found on the other side, and its total weight.</summary>
    private static (float NumA, float DenA, float NumB, float DenB) Sums(int[] a, int[] b, float[] idf, StringPool pool)
    {
        float numA = 0, denA = 0, numB = 0, denB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var w = idf[a[i]];
            denA += w;
            numA += w * Best(a, i, b, pool);
        }

        for (var i = 0; i < b.Length; i++)
        {
            var w = idf[b[i]];
            denB += w;
            numB += w * Best(b, i, a, pool);
        }

        return (numA, denA, numB, denB);
    }

    /// <summary>How well the word at <paramref name="i"/> of <paramref name="own"/> is found in <paramref name="other"/>:
    /// <see cref="Best(int, int[], StringPool)"/>, or fully where it is one of two words the other side runs together or
    /// two of the other side's words run together ("Granny's Daycare" / "Granny's Day Care").</summary>
    private static float Best(int[] own, int i, int[] other, StringPool pool)
    {
        var best = Best(own[i], other, pool);
        return best < 1f && SplitOrJoined(own, i, other, pool) ? 1f : best;
    }

    private static bool SplitOrJoined(int[] own, int i, int[] other, StringPool pool)
    {
        var x = pool[own[i]];
        for (var j = 0; j + 1 < other.Length; j++)
        {
            if (JoinsTheNext(pool, other[j + 1]) && IsJoined(x, pool[other[j]], pool[other[j + 1]]))
            {
                return true;
            }
        }

        foreach (var t in other)
        {
            var whole = pool[t];
            if ((i + 1 < own.Length && JoinsTheNext(pool, own[i + 1]) && IsJoined(whole, x, pool[own[i + 1]])) ||
                (i > 0 && JoinsTheNext(pool, own[i]) && IsJoined(whole, pool[own[i - 1]], x)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the word before <paramref name="next"/> may be written run together with it, as the name's joined
    /// key joins them (<see cref="NameNormalizer.JoinsTheNext"/>).</summary>
    private static bool JoinsTheNext(StringPool pool, int next) => NameNormalizer.JoinsTheNext(pool[next]);

    /// <summary>Whether <paramref name="whole"/> is <paramref name="left"/> and <paramref name="right"/> written as one
    /// word; folding writes a doubled letter once, so a letter ending the one and starting the other may be written
    /// once ("строй" + "инвест", folded "stroi" + "invest", is "stroinvest").</summary>
    private static bool IsJoined(string whole, string left, string right)
    {
        if (!whole.StartsWith(left, StringComparison.Ordinal))
        {
            return false;
        }

        if (whole.Length == left.Length + right.Length)
        {
            return whole.AsSpan(left.Length).SequenceEqual(right);
        }

        return whole.Length == left.Length + right.Length - 1 && left[^1] == right[0] &&
               whole.AsSpan(left.Length).SequenceEqual(right.AsSpan(1));
    }

    /// <summary>Whether the words run together, with the shorter side's common abbreviation suffix ("st", "ave", "rd")
    /// allowed missing, read alike (Jaro-Winkler ≥ 0.95): words split or joined differently.</summary>
    public static bool JoinedAlike(int[] a, int[] b, StringPool pool)
    {
        // Run together in buffers of their own: asked of most compared pairs, so no strings are made for it.
        var (lengthA, lengthB) = (JoinedLength(a, pool), JoinedLength(b, pool));
        var x = lengthA <= 256 ? stackalloc char[lengthA] : new char[lengthA];
        var y = lengthB <= 256 ? stackalloc char[lengthB] : new char[lengthB];
        return JoinedAlike(x[..Join(a, pool, compass: false, x)], y[..Join(b, pool, compass: false, y)]) ||
               JoinedAlike(x[..Join(a, pool, compass: true, x)], y[..Join(b, pool, compass: true, y)]);
    }

    /// <summary>The most characters <see cref="Join"/> writes for the tokens: a compass point written out is at most
    /// four letters longer ("n" → "north").</summary>
    private static int JoinedLength(int[] tokens, StringPool pool)
    {
        var length = 0;
        foreach (var t in tokens)
        {
            length += pool[t].Length + 4;
        }

        return length;
    }

    /// <summary>Writes the tokens run together (compass points written out when <paramref name="compass"/>); returns
    /// the characters written.</summary>
    private static int Join(int[] tokens, StringPool pool, bool compass, Span<char> into)
    {
        var n = 0;
        foreach (var t in tokens)
        {
            var word = compass ? Compass(pool[t]) : pool[t];
            word.CopyTo(into[n..]);
            n += word.Length;
        }

        return n;
    }

    /// <summary>A compass point written out: the normaliser shortens "North" to "n", but in "North Point St" it is part of
    /// the street's name, which another row runs together ("Northpoint").</summary>
    private static string Compass(string token) => token switch
    {
        "n" => "north",
        "s" => "south",
        "e" => "east",
        "v" or "w" => TextFolding.FoldCached("west"),
        _ => token,
    };

    private static bool JoinedAlike(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        if (x.Length < 6 || y.Length < 6)
        {
            return false;
        }

        var shorter = x.Length <= y.Length ? x : y;
        var longer = x.Length <= y.Length ? y : x;
        if (longer.StartsWith(shorter, StringComparison.Ordinal) && longer.Length - shorter.Length <= 4)
        {
            return true;
        }

        return JaroWinkler(x, y) >= 0.95;
    }

    /// <summary>Whether each side holds a number (house, building, office) the other lacks: another building, or
    /// another office in one building. A number shared (the postcode, the house of a business centre) does not outweigh
    /// one each side has of its own; a long number one keystroke from the other side's is the same number mistyped.</summary>
    public static bool NumbersConflict(int[] a, int[] b, StringPool pool) => HasOwnNumber(a, b, pool) && HasOwnNumber(b, a, pool);

    private static bool HasOwnNumber(int[] a, int[] b, StringPool pool)
    {
        foreach (var x in a)
        {
            if (!pool.IsNumeric(x) || Array.IndexOf(b, x) >= 0)
            {
                continue;
            }

            var s = pool[x];
            var mistyped = false;
            foreach (var y in b)
            {
                if (pool.IsNumeric(y) && MistypedNumber(s, pool[y]))
                {
                    mistyped = true;
                    break;
                }
            }

            if (!mistyped)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Two numbers of three or more characters and one length that differ by one character or by two
    /// neighbours swapped ("2615" / "2651"). Shorter numbers are too often a keystroke apart by chance.</summary>
    private static bool MistypedNumber(string s, string t) => s.Length == t.Length && s.Length >= 3 && OneKeystroke(s, t);

    /// <summary>Whether two different texts of eight characters or more are at most two keystrokes apart (a character
    /// changed, added or dropped, or two neighbours swapped, counted as optimal string alignment does) with the same
    /// digits in the same order: one e-mail address typed wrong. Shorter ones are too often that close by chance, and
    /// numbers only match exactly ("info@romashka1.ru" / "info@romashka2.ru" are two firms' addresses).</summary>
    internal static bool Mistyped(string a, string b)
    {
        const int max = 2;
        if (a.Length < 8 || b.Length < 8 || Math.Abs(a.Length - b.Length) > max || !SameDigits(a, b))
        {
            return false;
        }

        // Three rows of the alignment's table (two back, the last, this one), each only within the band |i - j| <= max;
        // on the stack: this is asked of every compared pair with two mails.
        var width = b.Length + 1;
        if (width > 256)
        {
            return false;
        }

        Span<int> rows = stackalloc int[3 * width];
        var (before, previous, current) = (0, width, 2 * width);
        for (var j = 0; j < width; j++)
        {
            rows[previous + j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            rows.Slice(current, width).Fill(max + 1);
            rows[current] = i;
            var best = i;
            for (var j = Math.Max(1, i - max); j <= Math.Min(b.Length, i + max); j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(rows[previous + j] + 1, rows[current + j - 1] + 1), rows[previous + j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d = Math.Min(d, rows[before + j - 2] + 1);
                }

                rows[current + j] = d;
                best = Math.Min(best, d);
            }

            if (best > max)
            {
                return false;
            }

            (before, previous, current) = (previous, current, before);
        }

        return rows[previous + b.Length] <= max;
    }

    private static bool SameDigits(string a, string b)
    {
        var (i, j) = (0, 0);
        while (true)
        {
            while (i < a.Length && !char.IsAsciiDigit(a[i]))
            {
                i++;
            }

            while (j < b.Length && !char.IsAsciiDigit(b[j]))
            {
                j++;
            }

            if (i == a.Length || j == b.Length)
            {
                return i == a.Length && j == b.Length;
            }

            if (a[i++] != b[j++])
            {
                return false;
            }
        }
    }

    /// <summary>Whether two different words are one keystroke apart: one character changed, added or dropped, or two
    /// neighbours swapped.</summary>
    internal static bool OneKeystroke(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }

        var (endA, endB) = (a.Length, b.Length);
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }

        var (restA, restB) = (endA - start, endB - start);
        return (restA <= 1 && restB <= 1) ||
               (restA == 2 && restB == 2 && a[start] == b[start + 1] && a[start + 1] == b[start]);
    }

    /// <summary>Whether each side has a word of some weight (a tenth of its name or more) that the other side lacks:
    /// "Orbit Foods" and "Pioneer Foods" share a word but name two firms; "Ромашка" and "Ромашка Плюс" do not.</summary>
    public static bool BothHaveOwnWords(int[] a, int[] b, float[] idf, StringPool pool) =>
        HasOwnWord(a, b, idf, pool) && HasOwnWord(b, a, idf, pool);

    private static bool HasOwnWord(int[] a, int[] b, float[] idf, StringPool pool)
    {
        float total = 0;
        foreach (var x in a)
        {
            total += idf[x];
        }

        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i];
            if (idf[x] >= 0.1f * total && pool[x].Length >= 3 && Best(a, i, b, pool) == 0f)
            {
                return true;
            }
        }

        return false;
    }

    public static bool SharesAny(int[] a, int[] b)
    {
        foreach (var x in a)
        {
            if (Array.IndexOf(b, x) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static float Best(int x, int[] other, StringPool pool)
    {
        if (Array.IndexOf(other, x) >= 0)
        {
            return 1f;
        }

        if (pool.IsNumeric(x))
        {
            // Numbers only match exactly (Token).
            return 0f;
        }

        var s = pool[x];
        var best = 0f;
        foreach (var y in other)
        {
            if (pool.IsNumeric(y))
            {
                continue;
            }

            var sim = Words(s, pool[y]);
            if (sim > best)
            {
                best = sim;
            }
        }

        return best;
    }

    /// <summary>Similarity of two different tokens: abbreviation (prefix) or near spelling; numbers only match exactly.</summary>
    internal static float Token(string s, string t) => HasDigit(s) || HasDigit(t) ? 0f : Words(s, t);

    /// <summary><see cref="Token"/> of two tokens known to hold no digit.</summary>
    private static float Words(string s, string t)
    {
        if (s.Length < 3 || t.Length < 3)
        {
            return 0f;
        }

        var (shorter, longer) = s.Length <= t.Length ? (s, t) : (t, s);
        if (Plural(shorter, longer))
        {
            // One word, once and several: "Holding" / "Holdings", "Service" / "Services", "Industry" / "Industries"
            // (folded "industri" / "industries"): as near as the typo of a letter or two added at the end, not a word cut
            // short.
            return (float)JaroWinkler(s, t);
        }

        if (longer.StartsWith(shorter, StringComparison.Ordinal) && (shorter.Length >= 4 || longer.Length >= shorter.Length + 2))
        {
            // Cut short: "Assoc" / "Association", "Comm" / "Community" (folded "kom"), "Произв" / "Производственная".
            return 0.8f;
        }

        if (Contracted(shorter, longer))
        {
            return 0.7f;
        }

        // Jaro-Winkler of 0.9 is out of reach when lengths differ by a third or both first letters differ;
        // skipping those keeps address comparison (every word against every word) cheap.
        if (shorter.Length * 3 < longer.Length * 2 || (s[0] != t[0] && s[1] != t[1]))
        {
            return 0f;
        }

        var jw = JaroWinkler(s, t);
        return jw >= 0.9 ? (float)jw : 0f;
    }

    /// <summary>Whether <paramref name="longer"/> is <paramref name="shorter"/> (four letters or more) with the
    /// English plural's "s" or "es" added.</summary>
    private static bool Plural(string shorter, string longer) =>
        shorter.Length >= 4
        && longer.Length - shorter.Length is 1 or 2
        && longer.StartsWith(shorter, StringComparison.Ordinal)
        && longer.AsSpan(shorter.Length) is "s" or "es";

    private static readonly SearchValues<char> Vowels = SearchValues.Create("aeiouy");

    /// <summary>A word written short by leaving letters out, keeping its first and last: "Mgmt" / "Management", "Svcs" /
    /// "Services", "Bldg" / "Building", "Natl" / "National" — the shorter's letters, in order, within the longer, which
    /// is at least two letters longer.</summary>
    private static bool Contracted(string shorter, string longer)
    {
        if (longer.Length < shorter.Length + 2 || shorter[0] != longer[0] || shorter[^1] != longer[^1] ||
            (shorter.Length == 3 && shorter.AsSpan(1).IndexOfAny(Vowels) >= 0))
        {
            // Three letters with a vowel are a word of their own more often than a contraction ("Ace" / "Alice").
            return false;
        }

        var k = 1;
        for (var j = 1; j < longer.Length - 1 && k < shorter.Length - 1; j++)
        {
            if (longer[j] == shorter[k])
            {
                k++;
            }
        }

        return k == shorter.Length - 1;
    }

    internal static double JaroWinkler(ReadOnlySpan<char> s, ReadOnlySpan<char> t)
    {
        if (s.Length == 0 || t.Length == 0)
        {
            return 0;
        }

        var range = Math.Max(0, (Math.Max(s.Length, t.Length) / 2) - 1);
        Span<bool> sMatched = stackalloc bool[s.Length];
        Span<bool> tMatched = stackalloc bool[t.Length];
        var matches = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var from = Math.Max(0, i - range);
            var to = Math.Min(t.Length - 1, i + range);
            for (var j = from; j <= to; j++)
            {
                if (!tMatched[j] && s[i] == t[j])
                {
                    sMatched[i] = tMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        var transpositions = 0;
        var k = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (!sMatched[i])
            {
                continue;
            }

            while (!tMatched[k])
            {
                k++;
            }

            if (s[i] != t[k])
            {
                transpositions++;
            }

            k++;
        }

        double m = matches;
        var jaro = ((m / s.Length) + (m / t.Length) + ((m - (transpositions / 2.0)) / m)) / 3.0;
        var prefix = 0;
        while (prefix < 4 && prefix < s.Length && prefix < t.Length && s[prefix] == t[prefix])
        {
            prefix++;
        }

        return jaro + (prefix * 0.1 * (1 - jaro));
    }

    private static bool HasDigit(string s)
    {
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c))
            {
                return true;
            }
        }

        return false;
    }
}

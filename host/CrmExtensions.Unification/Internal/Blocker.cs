using System.Globalization;

namespace CrmExtensions.Unification.Internal;

/// <summary>Groups rows into blocks by shared keys, the candidate pairs' source (see <see cref="Blocks"/>).</summary>
/// <remarks>
/// Keys per record: the whole normalised name (and its words joined, where that differs), its two rarest words (or,
/// for a name of one word no other row carries, the word it is a typo of), an acronym and the initials that spell it
/// (where a name is written so), its rarest address word, phone, mail and
/// web domain, director, and a person's birth date with each first letter of the name's words. A block no larger than
/// <see cref="UnificationOptions.MaxBlockSize"/> is compared pair by pair; a larger one is sorted by place and compared
/// within a sliding window, so 10,000 rows with one name cost 10,000 × window comparisons, not 50 million. Rare-word blocks above the limit are dropped: a word that
/// common is not a blocking key.
/// </remarks>
internal static class Blocker
{
    private const int KindShift = 40;

    /// <summary>The run's blocks: every row's keys grouped, the blocks worth comparing kept.</summary>
    public static Blocks Build(RecordTable table, bool[] ignoredContact, UnificationOptions options, List<InputIssue> issues)
    {
        var (keys, recs) = CollectKeys(table, options);
        Array.Sort(keys, recs);

        var work = new List<Block>();
        for (var start = 0; start < keys.Length;)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            var length = end - start;
            var kind = (Kind)(keys[start] >> KindShift);
            var id = (int)(keys[start] & ((1L << KindShift) - 1));
            if (length > 1 && Admit(table, kind, id, recs.AsSpan(start, length), ignoredContact, options, issues))
            {
                var window = length > options.MaxBlockSize;
                if (window)
                {
                    issues.Add(new InputIssue(null, IssueKind.OversizedBlock, string.Create(
                        CultureInfo.InvariantCulture,
                        $"{length} rows share the {Describe(kind)} '{table.Pool[id]}'; compared within a window of {options.WindowSize}")));
                }

                work.Add(new Block(start, length, window, KeyField(kind)));
            }

            start = end;
        }

        var (blockStart, blockIds) = BlocksByRecord(table.Count, work, recs);
        return new Blocks(table, options, recs, [.. work], blockStart, blockIds);
    }

    /// <summary>For each record, the blocks it is in, ascending (CSR: offsets and block indexes).</summary>
    private static (int[] Start, int[] Blocks) BlocksByRecord(int count, List<Block> work, int[] recs)
    {
        var start = new int[count + 1];
        foreach (var block in work)
        {
            for (var k = block.Start; k < block.Start + block.Length; k++)
            {
                start[recs[k] + 1]++;
            }
        }

        for (var i = 0; i < count; i++)
        {
            start[i + 1] += start[i];
        }

        var blocks = new int[start[count]];
        var fill = start[..count];
        for (var w = 0; w < work.Count; w++)
        {
            for (var k = work[w].Start; k < work[w].Start + work[w].Length; k++)
            {
                blocks[fill[recs[k]]++] = w;
            }
        }

        return (start, blocks);
    }

    private static (long[] Keys, int[] Recs) CollectKeys(RecordTable table, UnificationOptions options)
    {
        var keys = new List<long>(table.Count * 4);
        var recs = new List<int>(table.Count * 4);
        var records = table.Records;
        var mistyped = Mistyped(table, options);
        var acronyms = Acronyms(records);
        Span<int> picked = stackalloc int[2];
        for (var i = 0; i < records.Length; i++)
        {
            ref readonly var r = ref records[i];
            void Add(Kind kind, int id)
            {
                if (id >= 0)
                {
                    keys.Add(((long)kind << KindShift) | (uint)id);
                    recs.Add(i);
                }
            }

            Add(Kind.Name, r.NameKey);
            if (r.NameJoined != r.NameKey)
            {
                // "Wal Mart" meets "Walmart" (whose key is its one word) and "Wal-Mart Stores" meets "Walmart Stores".
                Add(Kind.Name, r.NameJoined);
            }

            foreach (var t in Rarest(table, r.Name, table.NameDf, 2, options.MaxBlockSize, picked))
            {
                Add(Kind.NameWord, t);
            }

            if (mistyped is not null)
            {
                var added = keys.Count;
                foreach (var t in r.Name)
                {
                    // Two typos of one word in one name are one key.
                    if (mistyped.TryGetValue(t, out var key) && keys.IndexOf(key, added) < 0)
                    {
                        keys.Add(key);
                        recs.Add(i);
                    }
                }
            }

            if (acronyms is not null)
            {
                // "IBM Corp" meets "International Business Machines Corp": the acronym's block holds the names whose
                // initials spell it, and no block is made of initials that no name is written as.
                Add(Kind.Acronym, r.Acronym);
                if (r.Initials >= 0 && acronyms.Contains(r.Initials))
                {
                    Add(Kind.Acronym, r.Initials);
                }
            }

            foreach (var t in Rarest(table, r.Address, table.AddressDf, 1, options.MaxBlockSize, picked))
            {
                Add(Kind.AddressWord, t);
            }

            Add(Kind.Phone, r.Phone);
            Add(Kind.Domain, r.EmailDomain);
            if (r.WebDomain != r.EmailDomain)
            {
                Add(Kind.Domain, r.WebDomain);
            }

            foreach (var d in r.Directors)
            {
                Add(Kind.Director, d);
            }

            if (r.Birth >= 10000)
            {
                // A person whose name is typed wrong in every word meets the others born that day whose name has a
                // word of the same first letter ("tElliot PaPge" / "Elliot Page"): one key per first letter.
                var day = new DateOnly(r.Birth / 10000, r.Birth / 100 % 100, r.Birth % 100).DayNumber;
                var added = keys.Count;
                foreach (var t in r.Name)
                {
                    var key = ((long)Kind.Birth << KindShift) | ((long)day << 16) | table.Pool[t][0];
                    if (keys.IndexOf(key, added) < 0)
                    {
                        keys.Add(key);
                        recs.Add(i);
                    }
                }
            }
        }

        return ([.. keys], [.. recs]);
    }

    /// <summary>The names of one key word that another name's initials spell (<see cref="NormalizedRecord.Acronym"/>), or
    /// null where there are none.</summary>
    private static HashSet<int>? Acronyms(NormalizedRecord[] records)
    {
        var written = new HashSet<int>();
        var initials = new HashSet<int>();
        foreach (ref readonly var r in records.AsSpan())
        {
            if (r.Acronym >= 0)
            {
                written.Add(r.Acronym);
            }
            else if (r.Initials >= 0)
            {
                initials.Add(r.Initials);
            }
        }

        written.IntersectWith(initials);
        return written.Count == 0 ? null : written;
    }

    /// <summary>The keys that bring a name of one word typed once together with the word it is a typo of ("Microsft Corp"
    /// / "Microsoft Corp"): a word carried by one row is no key, so that row met no other by its name at all. Not for a
    /// name of several words each typed once: a look-alike of each ("Madame Ching's" / "Chin's") is then a look-alike
    /// firm as often. Per word: the word it is one keystroke from (one letter changed, added, dropped, or two neighbours
    /// swapped; five letters or more; of several, the one most rows carry), found among its neighbours in the name words
    /// sorted by their beginnings and by their ends. The key is that word's own block where other rows carry it, or a block of the two typed-once words'
    /// own (the ordinally first of them names it) where neither is carried twice. Null where no row needs one.</summary>
    private static Dictionary<int, long>? Mistyped(RecordTable table, UnificationOptions options)
    {
        var pool = table.Pool;
        var df = table.NameDf;
        var wanted = new HashSet<int>();
        foreach (ref readonly var r in table.Records.AsSpan())
        {
            if (r.Name.Length == 1 && df[r.Name[0]] == 1 && Typable(r.Name[0]))
            {
                wanted.Add(r.Name[0]);
            }
        }

        if (wanted.Count == 0)
        {
            return null;
        }

        var words = new List<int>();
        for (var t = 0; t < df.Length; t++)
        {
            if (df[t] >= 1 && df[t] <= options.MaxBlockSize && Typable(t))
            {
                words.Add(t);
            }
        }

        var keys = new Dictionary<int, long>();
        foreach (var fromEnd in (ReadOnlySpan<bool>)[false, true])
        {
            var sorted = words.ToArray();
            Array.Sort(sorted, (a, b) => fromEnd ? CompareFromEnd(pool[a], pool[b]) : string.CompareOrdinal(pool[a], pool[b]));
            for (var k = 0; k < sorted.Length; k++)
            {
                var w = sorted[k];
                if (!wanted.Contains(w) || keys.ContainsKey(w))
                {
                    continue;
                }

                // Of the words one keystroke away, the one most rows carry: a word typed once beside it is its typo.
                var best = -1;
                for (var n = Math.Max(0, k - Neighbours); n <= Math.Min(sorted.Length - 1, k + Neighbours); n++)
                {
                    var b = sorted[n];
                    if (b != w && (best < 0 || df[b] > df[best]) && Similarity.OneKeystroke(pool[w], pool[b]))
                    {
                        best = b;
                    }
                }

                if (best < 0)
                {
                    continue;
                }

                if (df[best] >= 2)
                {
                    keys[w] = ((long)Kind.NameWord << KindShift) | (uint)best;
                }
                else
                {
                    // Two words typed once each: one block of their own, whichever row asks for it.
                    var first = string.CompareOrdinal(pool[w], pool[best]) <= 0 ? w : best;
                    var key = ((long)Kind.Mistyped << KindShift) | (uint)first;
                    keys[w] = key;
                    keys.TryAdd(best, key);
                }
            }
        }

        return keys;

        bool Typable(int t) => !pool.IsNumeric(t) && pool[t].Length >= 5;
    }

    // How far along the sorted words a typo is looked for, each way: words between a typo and its word in the order
    // share the beginning (or the end) up to the typo.
    private const int Neighbours = 8;

    private static int CompareFromEnd(string a, string b)
    {
        for (int i = a.Length - 1, j = b.Length - 1; i >= 0 && j >= 0; i--, j--)
        {
            if (a[i] != b[j])
            {
                return a[i].CompareTo(b[j]);
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static ReadOnlySpan<int> Rarest(RecordTable table, int[] tokens, int[] df, int take, int maxDf, Span<int> picked)
    {
        // The rarest, then the next rarest: no sorting or allocation for the two keys a name gives. Ties are broken
        // by the word itself, not its id, so the keys do not depend on the order of the input.
        var count = 0;
        while (count < take)
        {
            var best = -1;
            foreach (var t in tokens)
            {
                if (df[t] < 2 || df[t] > maxDf || (count > 0 && picked[..count].Contains(t)))
                {
                    continue;
                }

                if (best < 0 || df[t] < df[best] || (df[t] == df[best] && string.CompareOrdinal(table.Pool[t], table.Pool[best]) < 0))
                {
                    best = t;
                }
            }

            if (best < 0)
            {
                break;
            }

            picked[count++] = best;
        }

        return picked[..count];
    }

    /// <summary>Decides whether a block is compared at all; marks switchboards and public domains as ignored.</summary>
    private static bool Admit(RecordTable table, Kind kind, int id, ReadOnlySpan<int> members, bool[] ignoredContact, UnificationOptions options, List<InputIssue> issues)
    {
        switch (kind)
        {
            case Kind.NameWord or Kind.AddressWord or Kind.Mistyped or Kind.Acronym or Kind.Birth:
                return members.Length <= options.MaxBlockSize;
            case Kind.Phone or Kind.Domain:
                var limit = kind == Kind.Phone ? options.MaxNamesPerPhone : options.MaxNamesPerDomain;
                if (kind == Kind.Domain && Contacts.IsFreeMail(table.Pool[id]))
                {
                    ignoredContact[id] = true;
                    return false;
                }

                if (members.Length <= limit)
                {
                    // Too few rows to hold more distinct names than the limit.
                    return true;
                }

                var names = new HashSet<int>();
                foreach (var m in members)
                {
                    if (table.Records[m].NameKey >= 0 && names.Add(table.Records[m].NameKey) && names.Count > limit)
                    {
                        ignoredContact[id] = true;
                        issues.Add(new InputIssue(null, IssueKind.SharedContactIgnored, string.Create(
                            CultureInfo.InvariantCulture,
                            $"{Describe(kind)} '{table.Pool[id]}' is shared by more than {limit} different names; not used as evidence")));
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static byte KeyField(Kind kind) => kind switch
    {
        Kind.Name or Kind.NameWord or Kind.Mistyped or Kind.Acronym => 0,
        Kind.AddressWord => 1,
        Kind.Phone => 4,
        Kind.Domain => 5,
        Kind.Birth => 7,
        _ => 6,
    };

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Name => "name",
        Kind.Phone => "phone",
        Kind.Domain => "domain",
        Kind.Director => "director",
        _ => "word",
    };

    private enum Kind : long
    {
        Name = 1,
        NameWord = 2,
        AddressWord = 3,
        Phone = 4,
        Domain = 5,
        Director = 6,
        Mistyped = 7,
        Acronym = 8,

        /// <summary>A birth date and the first letter of a word of the name (not a pool id: the day and the letter).</summary>
        Birth = 9,
    }
}

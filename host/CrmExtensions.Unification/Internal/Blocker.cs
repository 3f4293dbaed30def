using System.Globalization;

namespace CrmExtensions.Unification.Internal;

/// <summary>Groups rows into blocks by shared keys, the candidate pairs' source (see <see cref="Blocks"/>).</summary>
/// <remarks>
/// Keys per record: the whole normalised name (and its words joined, where that differs), its two rarest words, its
/// rarest address word, phone, mail and web domain, director. A block no larger than
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
        }

        return ([.. keys], [.. recs]);
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
            case Kind.NameWord or Kind.AddressWord:
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
        Kind.Name or Kind.NameWord => 0,
        Kind.AddressWord => 1,
        Kind.Phone => 4,
        Kind.Domain => 5,
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
    }
}

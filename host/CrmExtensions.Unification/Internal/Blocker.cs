using System.Collections.Concurrent;
using System.Globalization;

namespace CrmExtensions.Unification.Internal;

/// <summary>Finds candidate pairs by shared keys, never taking all pairs of a huge block.</summary>
/// <remarks>
/// Keys per record: the whole normalised name, its two rarest words, its rarest address word, phone, mail and
/// web domain, director. A block no larger than <see cref="UnificationOptions.MaxBlockSize"/> is compared pair
/// by pair; a larger one is sorted by place and compared within a sliding window, so 10,000 rows with one name
/// cost 10,000 × window comparisons, not 50 million. Rare-word blocks above the limit are dropped: a word that
/// common is not a blocking key.
/// </remarks>
internal static class Blocker
{
    private const int KindShift = 40;

    /// <summary>The candidate pairs, each once, as (A &lt;&lt; 32) | B with A &lt; B, ascending; with each pair the
    /// <see cref="Gamma"/> field its block was keyed on (the field the pair is conditioned on agreeing).</summary>
    public static (long[] Pairs, byte[] KeyField) Run(
        RecordTable table,
        bool[] ignoredContact,
        UnificationOptions options,
        ParallelOptions parallel,
        List<InputIssue> issues)
    {
        var (keys, recs) = CollectKeys(table, options);
        Array.Sort(keys, recs);

        var work = new List<(int Start, int Length, bool Window)>();
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

                work.Add((start, length, window));
            }

            start = end;
        }

        var (fullStart, fullBlocks) = FullBlocksByRecord(table.Count, work, recs);
        var pairs = new ConcurrentBag<(List<long> Pairs, List<byte> Fields)>();
        Parallel.For(
            0,
            work.Count,
            parallel,
            () => (new List<long>(), new List<byte>()),
            (w, _, local) =>
            {
                var (start, length, window) = work[w];
                var field = KeyField((Kind)(keys[start] >> KindShift));
                var members = recs.AsSpan(start, length);
                if (window)
                {
                    members = SortByPlace(table, members.ToArray());
                }

                var reach = window ? options.WindowSize : length;
                for (var x = 0; x < members.Length; x++)
                {
                    var last = Math.Min(members.Length - 1, x + reach);
                    for (var y = x + 1; y <= last; y++)
                    {
                        var (i, j) = members[x] < members[y] ? (members[x], members[y]) : (members[y], members[x]);
                        if (!window && !FirstSharedBlock(fullStart, fullBlocks, i, j, w))
                        {
                            // Same name, same rare words, same phone: most pairs meet in several blocks; the block
                            // they meet in first takes them.
                            continue;
                        }

                        local.Item1.Add(((long)i << 32) | (uint)j);
                        local.Item2.Add(field);
                    }
                }

                return local;
            },
            pairs.Add);

        // Sorted by a counting pass on the first row, then each row's pairs on both cores: one sort of fifteen million
        // pairs on one core took most of the stage. The order the threads' lists come in does not matter: every pair
        // lands in its row's bucket and the buckets are sorted.
        var (all, fields) = SortByFirstRow(table.Count, pairs, parallel);

        // A windowed pair can also meet in another block; keep one.
        var unique = 0;
        for (var k = 0; k < all.Length; k++)
        {
            if (unique == 0 || all[unique - 1] != all[k])
            {
                fields[unique] = fields[k];
                all[unique++] = all[k];
            }
            else
            {
                // The sort is not stable: the smallest field, so the result does not depend on it.
                fields[unique - 1] = Math.Min(fields[unique - 1], fields[k]);
            }
        }

        return (all[..unique], fields[..unique]);
    }

    /// <summary>Every thread's pairs in one array, ascending (duplicates side by side), with their key fields.</summary>
    private static (long[] Pairs, byte[] Fields) SortByFirstRow(int count, IEnumerable<(List<long> Pairs, List<byte> Fields)> lists, ParallelOptions parallel)
    {
        var start = new int[count + 1];
        foreach (var (list, _) in lists)
        {
            foreach (var pair in list)
            {
                start[(int)(pair >> 32) + 1]++;
            }
        }

        for (var i = 0; i < count; i++)
        {
            start[i + 1] += start[i];
        }

        var all = new long[start[count]];
        var fields = new byte[all.Length];
        var fill = start[..count];
        foreach (var (list, keyFields) in lists)
        {
            for (var k = 0; k < list.Count; k++)
            {
                var at = fill[(int)(list[k] >> 32)]++;
                (all[at], fields[at]) = (list[k], keyFields[k]);
            }
        }

        if (count > 0)
        {
            Parallel.ForEach(Partitioner.Create(0, count, 4096), parallel, range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    if (start[i + 1] - start[i] > 1)
                    {
                        Array.Sort(all, fields, start[i], start[i + 1] - start[i]);
                    }
                }
            });
        }

        return (all, fields);
    }

    /// <summary>For each record, the fully compared blocks it is in, ascending (CSR: offsets and ids).</summary>
    private static (int[] Start, int[] Blocks) FullBlocksByRecord(int count, List<(int Start, int Length, bool Window)> work, int[] recs)
    {
        var start = new int[count + 1];
        foreach (var (s, length, window) in work)
        {
            if (!window)
            {
                for (var k = s; k < s + length; k++)
                {
                    start[recs[k] + 1]++;
                }
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
            var (s, length, window) = work[w];
            if (!window)
            {
                for (var k = s; k < s + length; k++)
                {
                    blocks[fill[recs[k]]++] = w;
                }
            }
        }

        return (start, blocks);
    }

    /// <summary>Whether <paramref name="block"/> is the first fully compared block holding both records.</summary>
    private static bool FirstSharedBlock(int[] start, int[] blocks, int i, int j, int block)
    {
        int x = start[i], xEnd = start[i + 1], y = start[j], yEnd = start[j + 1];
        while (x < xEnd && y < yEnd)
        {
            var (bx, by) = (blocks[x], blocks[y]);
            if (bx == by)
            {
                return bx == block;
            }

            if (bx < by)
            {
                x++;
            }
            else
            {
                y++;
            }
        }

        return true;
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

    private static int[] SortByPlace(RecordTable table, int[] members)
    {
        var records = table.Records;
        string Text(int id) => id < 0 ? string.Empty : table.Pool[id];
        return [.. members
            .OrderBy(m => Text(records[m].City), StringComparer.Ordinal)
            .ThenBy(m => records[m].Address.Length == 0 ? string.Empty : string.Join(' ', records[m].Address.Select(Text)), StringComparer.Ordinal)
            .ThenBy(table.KeyOf)];
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

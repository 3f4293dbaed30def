using System.Collections.Concurrent;

namespace CrmExtensions.Unification.Internal;

/// <summary>One block: a run of rows sharing a key, compared pair by pair or, above the size limit, within a window
/// sorted by place; <see cref="Field"/> is the <see cref="Gamma"/> field its key is.</summary>
internal readonly record struct Block(int Start, int Length, bool Window, byte Field);

/// <summary>The candidate pairs of a block: listed, or scored by a rule as they are met.</summary>
/// <param name="Pairs">The listed pairs, as (A &lt;&lt; 32) | B with A &lt; B, ascending, each once.</param>
/// <param name="KeyFields">Each listed pair's key field.</param>
/// <param name="Ruled">The pairs of two different valid identifiers that reached the threshold, scored as they were
/// met (see <see cref="Blocks"/>), ascending, each once.</param>
/// <param name="RuledCount">The pairs of two different valid identifiers scored (one met in two windows twice).</param>
internal sealed record Candidates(long[] Pairs, byte[] KeyFields, Edge[] Ruled, long RuledCount);

/// <summary>The candidate pairs of a run's blocks: all of them (a full run), or only those touching some rows (an
/// incremental run, which compares a few thousand rows' pairs and so need not list a million rows' pairs).</summary>
/// <remarks>Either way a pair is listed once, as (A &lt;&lt; 32) | B with A &lt; B, ascending, with the field of the
/// first fully compared block holding both rows (the smallest field where a window also meets it); the pairs touching
/// some rows are exactly those of <see cref="All"/> that touch them.
/// Given a scorer, a pair of two different valid INNs (or OGRNs) is not listed but scored where it is met: its score is
/// the group rules' (<see cref="PairScorer.Score(int, int, out LinkRule, float, System.Text.StringBuilder?)"/>), which
/// no model learnt from the listed pairs changes, and only a pair that reaches the threshold is kept, as an edge. In a
/// ledger where most firms carry their INN, most candidate pairs are such firms sharing a word or a street (nine in ten
/// of 47 million at a million rows of the sample ledger); listing them to sort, dedupe, compare and score later held
/// hundreds of megabytes and read each pair's two rows three more times.</remarks>
internal sealed class Blocks
{
    private readonly RecordTable _table;
    private readonly UnificationOptions _options;
    private readonly int[] _recs;
    private readonly Block[] _blocks;
    private readonly int[] _blockStart;
    private readonly int[] _blockIds;
    // A windowed block's rows sorted by place, once per run: an incremental run meets a large block every round.
    private readonly int[]?[] _sorted;

    /// <param name="table">The rows.</param>
    /// <param name="options">The window's size.</param>
    /// <param name="recs">Every block's rows, block after block.</param>
    /// <param name="blocks">The blocks compared, ascending by key.</param>
    /// <param name="blockStart">Per row, where its blocks start in <paramref name="blockIds"/> (CSR offsets).</param>
    /// <param name="blockIds">Per row, the blocks it is in, ascending.</param>
    public Blocks(RecordTable table, UnificationOptions options, int[] recs, Block[] blocks, int[] blockStart, int[] blockIds)
    {
        (_table, _options, _recs, _blocks, _blockStart, _blockIds) = (table, options, recs, blocks, blockStart, blockIds);
        _sorted = new int[]?[blocks.Length];
    }

    /// <summary>Every candidate pair, with its key field; given a <paramref name="ruled"/> scorer, the pairs of two
    /// different valid identifiers scored instead of listed.</summary>
    public Candidates All(ParallelOptions parallel, Ruling? ruled = null)
    {
        return Collect(_blocks.Length, ruled, (w, local) =>
        {
            var block = _blocks[w];
            var members = Members(w);
            var reach = block.Window ? _options.WindowSize : block.Length;
            for (var x = 0; x < members.Length; x++)
            {
                var last = Math.Min(members.Length - 1, x + reach);
                for (var y = x + 1; y <= last; y++)
                {
                    Add(local, w, members[x], members[y], null);
                }
            }
        }, parallel);
    }

    /// <summary>The candidate pairs with at least one row among <paramref name="rows"/> that <paramref name="keep"/>
    /// accepts (called with the pair's rows, smaller first), with their key fields; given a <paramref name="ruled"/>
    /// scorer, the pairs of two different valid identifiers scored instead of listed.</summary>
    public Candidates Touching(IReadOnlyCollection<int> rows, Func<int, int, bool> keep, ParallelOptions parallel, Ruling? ruled = null)
    {
        var source = new bool[_table.Count];
        var touched = new bool[_blocks.Length];
        var groups = new List<int>();
        foreach (var i in rows)
        {
            source[i] = true;
            for (var k = _blockStart[i]; k < _blockStart[i + 1]; k++)
            {
                if (!touched[_blockIds[k]])
                {
                    touched[_blockIds[k]] = true;
                    groups.Add(_blockIds[k]);
                }
            }
        }

        return Collect(groups.Count, ruled, (g, local) =>
        {
            var w = groups[g];
            var block = _blocks[w];
            var members = Members(w);
            var reach = block.Window ? _options.WindowSize : block.Length;
            for (var x = 0; x < members.Length; x++)
            {
                if (!source[members[x]])
                {
                    continue;
                }

                // Each pair once: a pair of two sources is listed from the one earlier in the block.
                for (var y = Math.Max(0, x - reach); y <= Math.Min(members.Length - 1, x + reach); y++)
                {
                    if (y != x && !(y < x && source[members[y]]))
                    {
                        Add(local, w, members[x], members[y], keep);
                    }
                }
            }
        }, parallel);
    }

    /// <summary>Runs <paramref name="body"/> for 0 … <paramref name="count"/> - 1 on every core, each thread adding to
    /// lists of its own, then gives their pairs as one list, ascending, each once.</summary>
    private Candidates Collect(int count, Ruling? ruled, Action<int, Local> body, ParallelOptions parallel)
    {
        var lists = new ConcurrentBag<Local>();
        Parallel.For(
            0,
            count,
            parallel,
            () => new Local(ruled),
            (k, _, local) =>
            {
                body(k, local);
                return local;
            },
            lists.Add);
        var (pairs, fields) = Unique(lists, parallel);
        var edges = lists.SelectMany(l => l.Edges).ToArray();
        // A pair two windows met was scored twice, the same each time.
        Array.Sort(edges, Edge.ByPair);
        var unique = 0;
        for (var k = 0; k < edges.Length; k++)
        {
            if (unique == 0 || edges[unique - 1].A != edges[k].A || edges[unique - 1].B != edges[k].B)
            {
                edges[unique++] = edges[k];
            }
        }

        return new Candidates(pairs, fields, edges[..unique], lists.Sum(l => l.Scored));
    }

    private ReadOnlySpan<int> Members(int w)
    {
        var block = _blocks[w];
        var members = _recs.AsSpan(block.Start, block.Length);
        return block.Window ? _sorted[w] ??= SortByPlace(members.ToArray()) : members;
    }

    private void Add(Local local, int w, int a, int b, Func<int, int, bool>? keep)
    {
        var (i, j) = a < b ? (a, b) : (b, a);
        if (!_blocks[w].Window && !FirstSharedBlock(i, j, w))
        {
            // Same name, same rare words, same phone: most pairs meet in several blocks; the block they meet in
            // first takes them.
            return;
        }

        if (keep is not null && !keep(i, j))
        {
            return;
        }

        if (local.Ruling is { } ruling && ruling.Scorer.Contradicts(i, j))
        {
            local.Scored++;
            var score = ruling.Scorer.Score(i, j, out var rule, ruling.Threshold);
            if (score >= ruling.Threshold)
            {
                local.Edges.Add(new Edge(i, j, score, rule));
            }

            return;
        }

        local.Add(((long)i << 32) | (uint)j, _blocks[w].Field);
    }

    /// <summary>Whether <paramref name="block"/> is the first fully compared block holding both records.</summary>
    private bool FirstSharedBlock(int i, int j, int block)
    {
        int x = _blockStart[i], xEnd = _blockStart[i + 1], y = _blockStart[j], yEnd = _blockStart[j + 1];
        while (x < xEnd && y < yEnd)
        {
            var (bx, by) = (_blockIds[x], _blockIds[y]);
            if (bx == by && !_blocks[bx].Window)
            {
                return bx == block;
            }

            if (bx <= by)
            {
                x++;
            }

            if (by <= bx)
            {
                y++;
            }
        }

        return true;
    }

    /// <summary>Every thread's pairs in one array, ascending, each once (a windowed pair can also meet in another block).</summary>
    private (long[] Pairs, byte[] KeyFields) Unique(IEnumerable<Local> lists, ParallelOptions parallel)
    {
        // Sorted by a counting pass on the first row, then each row's pairs on both cores: one sort of fifteen million
        // pairs on one core took most of the stage. The order the threads' lists come in does not matter: every pair
        // lands in its row's bucket and the buckets are sorted.
        var (all, fields) = SortByFirstRow(_table.Count, lists, parallel);
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

        return unique == all.Length ? (all, fields) : (all[..unique], fields[..unique]);
    }

    /// <summary>Every thread's pairs in one array, ascending (duplicates side by side), with their key fields; each
    /// thread's own lists are let go as soon as they are copied.</summary>
    private static (long[] Pairs, byte[] Fields) SortByFirstRow(int count, IEnumerable<Local> lists, ParallelOptions parallel)
    {
        var start = new int[count + 1];
        foreach (var list in lists)
        {
            foreach (var (pairs, _, length) in list.Chunks())
            {
                foreach (var pair in pairs.AsSpan(0, length))
                {
                    start[(int)(pair >> 32) + 1]++;
                }
            }
        }

        for (var i = 0; i < count; i++)
        {
            start[i + 1] += start[i];
        }

        var all = new long[start[count]];
        var fields = new byte[all.Length];
        var fill = start[..count];
        foreach (var list in lists)
        {
            foreach (var (pairs, keyFields, length) in list.Chunks())
            {
                for (var k = 0; k < length; k++)
                {
                    var at = fill[(int)(pairs[k] >> 32)]++;
                    (all[at], fields[at]) = (pairs[k], keyFields[k]);
                }
            }

            list.DropPairs();
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

    private int[] SortByPlace(int[] members)
    {
        var table = _table;
        var records = table.Records;
        string Text(int id) => id < 0 ? string.Empty : table.Pool[id];
        return [.. members
            .OrderBy(m => Text(records[m].City), StringComparer.Ordinal)
            .ThenBy(m => records[m].Address.Length == 0 ? string.Empty : string.Join(' ', records[m].Address.Select(Text)), StringComparer.Ordinal)
            .ThenBy(table.KeyOf)];
    }

    /// <summary>One thread's pairs, their key fields, and the ruled pairs it scored.</summary>
    /// <remarks>The pairs are kept in chunks growing to a megabyte, not a list that doubles: at millions of pairs a
    /// list's growing left its outgrown arrays (as much again as it held) on the large object heap, and its spare
    /// capacity held up to as much once more.</remarks>
    private sealed class Local(Ruling? ruling)
    {
        // Chunks grow from 4 Ki pairs (a thread of a small run lists few) to 128 Ki, a megabyte of pairs, so a thread's
        // spare room is at most that.
        private const int FirstChunkLength = 1 << 12;
        private const int ChunkLength = 1 << 17;

        private List<long[]> _pairs = [];
        private List<byte[]> _fields = [];
        private int _last;

        public Ruling? Ruling { get; } = ruling;

        public List<Edge> Edges { get; } = [];

        public long Scored { get; set; }

        public void Add(long pair, byte field)
        {
            if (_pairs.Count == 0 || _last == _pairs[^1].Length)
            {
                var length = _pairs.Count == 0 ? FirstChunkLength : Math.Min(ChunkLength, _pairs[^1].Length * 2);
                _pairs.Add(GC.AllocateUninitializedArray<long>(length));
                _fields.Add(GC.AllocateUninitializedArray<byte>(length));
                _last = 0;
            }

            _pairs[^1][_last] = pair;
            _fields[^1][_last] = field;
            _last++;
        }

        /// <summary>The chunks in the order their pairs were added, each with how many of its pairs are filled.</summary>
        public IEnumerable<(long[] Pairs, byte[] Fields, int Length)> Chunks()
        {
            for (var c = 0; c < _pairs.Count; c++)
            {
                yield return (_pairs[c], _fields[c], c == _pairs.Count - 1 ? _last : _pairs[c].Length);
            }
        }

        /// <summary>Lets the pairs and their fields go (the ruled edges stay).</summary>
        public void DropPairs() => (_pairs, _fields, _last) = ([], [], 0);
    }
}

/// <summary>The scorer and threshold the pairs of two different valid identifiers are scored with where they are met.</summary>
internal sealed record Ruling(PairScorer Scorer, float Threshold);

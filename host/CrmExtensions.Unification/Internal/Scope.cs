using System.Collections.Concurrent;

namespace CrmExtensions.Unification.Internal;

/// <summary>The rows an incremental run re-examines: the changed rows, the rows that carry one of their exact names,
/// addresses or phones, and the previous clients of all of them, closed over everything that could join a row inside to
/// a row outside.</summary>
/// <remarks>
/// Closed means: no row outside shares with a row inside a valid INN or OGRN, a parent link or a merge or split decision,
/// and no candidate pair between inside and outside scores at the review threshold or above. Then the full run's unions
/// never cross the boundary (its edges across it are below the threshold, and every other union is one of those rules), so
/// clustering the inside alone, with the same edges in the same order, gives the partition a full run gives it; and the
/// full run's review pairs touching the inside lie within it. Each round adds the whole previous client of every row it
/// adds, so an unchanged client is either wholly re-examined or wholly kept.
/// </remarks>
internal static class Scope
{
    /// <summary>The most rows of one exact name, address or phone taken in because a changed row carries it too. One row
    /// more or less moves the term frequency of a value carried by more rows by under 2%: no pair among them is scored
    /// differently enough to matter, and on the sample ledger at a million rows such values (a business centre's address,
    /// a name dozens of firms share) took in half the base.</summary>
    private const int MaxSharers = 50;

    public static bool[] Close(
        RecordTable table,
        PairScorer scorer,
        Blocks blocks,
        float threshold,
        IReadOnlyDictionary<MemberKey, long> previous,
        IReadOnlyCollection<MemberKey> changed,
        IReadOnlyList<UnificationDecision> decisions,
        ParallelOptions parallel)
    {
        var n = table.Count;
        var records = table.Records;
        var previousOf = new long[n];
        for (var i = 0; i < n; i++)
        {
            previousOf[i] = previous.TryGetValue(table.KeyOf(i), out var id) ? id : -1;
        }

        var inside = new bool[n];
        var pendingClients = new HashSet<long>();
        var doneClients = new HashSet<long>();
        // The rows added since the last scan of crossing pairs: a crossing pair whose inside row came in before was
        // scored in an earlier scan (both rows were where they are now, as rows never leave) and stayed under the threshold.
        var fresh = new List<int>();
        var added = false;
        void Add(int i)
        {
            if (!inside[i])
            {
                inside[i] = true;
                fresh.Add(i);
                added = true;
                if (previousOf[i] >= 0 && !doneClients.Contains(previousOf[i]))
                {
                    pendingClients.Add(previousOf[i]);
                }
            }
        }

        // Rows that carry a changed row's exact name, address or phone (of at most MaxSharers rows): the counts their term
        // frequencies (and a name's "carried under several INNs") are taken from moved with it, so every pair among them
        // may score otherwise. Other rows a changed row shares a block with need looking at only where their pair with it
        // would now link or go to review, which the closure below scores.
        var names = new HashSet<int>();
        var phones = new HashSet<int>();
        var addresses = new HashSet<long>();

        // The changed rows (a vanished one through its former client only).
        foreach (var key in changed)
        {
            if (table.IndexByKey.TryGetValue(key, out var i))
            {
                Add(i);
                var (name, phone, address) = Values(i);
                if (name is { } nk)
                {
                    names.Add(nk);
                }

                if (phone is { } p)
                {
                    phones.Add(p);
                }

                if (address is { } ak)
                {
                    addresses.Add(ak);
                }
            }
            else if (previous.TryGetValue(key, out var id))
            {
                pendingClients.Add(id);
            }
        }

        for (var i = 0; i < n; i++)
        {
            var (name, phone, address) = Values(i);
            if ((name is { } nk && names.Contains(nk)) || (phone is { } p && phones.Contains(p)) || (address is { } ak && addresses.Contains(ak)))
            {
                Add(i);
            }
        }

        var groups = decisions.Select(d => d switch
        {
            MergeDecision merge => merge.Members,
            SplitDecision split => split.Members,
            _ => [],
        }).Where(m => m.Count > 1).Select(m => m.Select(k => table.IndexByKey.TryGetValue(k, out var i) ? i : -1).Where(i => i >= 0).ToArray()).ToList();
        while (added || pendingClients.Count > 0)
        {
            added = false;

            // Whole previous clients.
            if (pendingClients.Count > 0)
            {
                var clients = pendingClients.ToHashSet();
                doneClients.UnionWith(clients);
                pendingClients.Clear();
                for (var i = 0; i < n; i++)
                {
                    if (previousOf[i] >= 0 && clients.Contains(previousOf[i]))
                    {
                        Add(i);
                    }
                }
            }

            // Rules: the same valid INN or OGRN, the parent column, people's merges and splits.
            var inns = new HashSet<long>();
            var ogrns = new HashSet<long>();
            for (var i = 0; i < n; i++)
            {
                if (inside[i])
                {
                    if (records[i].HasValidInn)
                    {
                        inns.Add(records[i].Inn);
                    }

                    if (records[i].HasValidOgrn)
                    {
                        ogrns.Add(records[i].Ogrn);
                    }
                }
            }

            for (var i = 0; i < n; i++)
            {
                var p = records[i].Parent;
                if ((records[i].HasValidInn && inns.Contains(records[i].Inn)) || (records[i].HasValidOgrn && ogrns.Contains(records[i].Ogrn))
                    || (p >= 0 && inside[p]))
                {
                    Add(i);
                }

                if (p >= 0 && inside[i])
                {
                    Add(p);
                }
            }

            foreach (var group in groups.Where(g => g.Any(i => inside[i])))
            {
                foreach (var i in group)
                {
                    Add(i);
                }
            }

            // Candidate pairs across the boundary that a full run would link or send to review.
            var crossing = blocks.Touching(fresh, (a, b) => inside[a] != inside[b], parallel).Pairs;
            fresh.Clear();
            var reach = new ConcurrentBag<long>();
            Parallel.ForEach(crossing, parallel, pair =>
            {
                if (Scoring.Score(scorer, (int)(pair >> 32), (int)pair, threshold) >= threshold)
                {
                    reach.Add(pair);
                }
            });
            foreach (var pair in reach)
            {
                Add((int)(pair >> 32));
                Add((int)pair);
            }
        }

        return inside;

        // A row's exact name key, phone and address key where at most MaxSharers rows carry it; null otherwise.
        (int? Name, int? Phone, long? Address) Values(int i) => (
            records[i].Name.Length > 0 && table.NameKeyCount[records[i].NameKey] <= MaxSharers ? records[i].NameKey : null,
            records[i].Phone >= 0 && table.PhoneCount[i] <= MaxSharers ? records[i].Phone : null,
            records[i].Address.Length > 0 && table.AddressCount[i] <= MaxSharers ? RecordTable.AddressKey(records[i].Address) : null);
    }
}

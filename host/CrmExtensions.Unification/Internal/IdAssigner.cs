namespace CrmExtensions.Unification.Internal;

/// <summary>Gives each cluster a client id, reusing the previous run's ids.</summary>
/// <remarks>
/// Each previous id goes to the cluster holding most of its former members (ties: the smaller id first, then
/// the cluster with the smaller member key), so a client that splits keeps its id on the larger part and a
/// merge keeps the id of the larger former client. Clusters left without an id get fresh ones, in the order of
/// their smallest member key.
/// </remarks>
internal static class IdAssigner
{
    public static long[] Assign(
        int[] clusterOf,
        int clusterCount,
        MemberKey[] smallestKey,
        RecordTable table,
        IReadOnlyDictionary<MemberKey, long>? previous,
        Func<long>? allocate)
    {
        var ids = new long[clusterCount];
        var assigned = new bool[clusterCount];
        var used = new HashSet<long>();
        long max = 0;
        if (previous is { Count: > 0 })
        {
            var votes = new Dictionary<(int Cluster, long Id), int>();
            for (var i = 0; i < clusterOf.Length; i++)
            {
                // Rows an incremental run does not re-examine (no cluster) keep their ids.
                if (clusterOf[i] >= 0 && previous.TryGetValue(table.KeyOf(i), out var id))
                {
                    var key = (clusterOf[i], id);
                    votes[key] = votes.GetValueOrDefault(key) + 1;
                }
            }

            foreach (var id in previous.Values)
            {
                max = Math.Max(max, id);
            }

            var ordered = votes
                .OrderByDescending(v => v.Value)
                .ThenBy(v => v.Key.Id)
                .ThenBy(v => smallestKey[v.Key.Cluster]);
            foreach (var ((cluster, id), _) in ordered)
            {
                if (!assigned[cluster] && used.Add(id))
                {
                    ids[cluster] = id;
                    assigned[cluster] = true;
                }
            }
        }

        var fresh = Enumerable.Range(0, clusterCount).Where(c => !assigned[c]).OrderBy(c => smallestKey[c]);
        foreach (var c in fresh)
        {
            long id;
            do
            {
                id = allocate is null ? ++max : allocate();
            }
            while (!used.Add(id));

            ids[c] = id;
        }

        return ids;
    }
}

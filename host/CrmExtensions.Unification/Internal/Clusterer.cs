using System.Globalization;

namespace CrmExtensions.Unification.Internal;

/// <summary>
/// Turns decisions and scored edges into legal entities (finer) and clients (coarser).
/// </summary>
/// <remarks>
/// Decisions go first, latest first, so a later decision claims its pairs before an earlier one can: a merge
/// that contradicts a later never-link is refused, and a never-link already joined by a later merge is dropped.
/// Automatic edges follow, strongest first, and never cross a cannot-link. An entity-level edge between rows
/// whose entities carry different valid INNs is not made; the pair is sent to review instead.
/// </remarks>
internal sealed class Clusterer
{
    private readonly RecordTable _table;
    private readonly UnionFind _clients;
    private readonly UnionFind _entities;
    private readonly long[] _entityInn;

    /// <summary>Past this many row pairs between two clients the average is not checked (a client of thousands of
    /// rows sharing one INN): the cost would grow with the square.</summary>
    private const long MaxAverageLinkagePairs = 10_000;

    public Clusterer(RecordTable table)
    {
        _table = table;
        _clients = new UnionFind(table.Count);
        _entities = new UnionFind(table.Count);
        _entityInn = new long[table.Count];
        for (var i = 0; i < table.Count; i++)
        {
            _entityInn[i] = table.Records[i].HasValidInn ? table.Records[i].Inn : 0;
        }
    }

    public UnionFind Clients => _clients;

    public UnionFind Entities => _entities;

    public List<(Edge Edge, string? Evidence)> Links { get; } = [];

    public List<Edge> Review { get; } = [];

    public void ApplyDecisions(IReadOnlyList<UnificationDecision> decisions, List<InputIssue> issues)
    {
        for (var d = decisions.Count - 1; d >= 0; d--)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"decision #{d + 1}");
            switch (decisions[d])
            {
                case MergeDecision merge:
                    var members = Resolve(merge.Members, issues, label);
                    for (var k = 1; k < members.Count; k++)
                    {
                        var (a, b) = (members[0], members[k]);
                        if (_clients.Union(a, b))
                        {
                            Links.Add((new Edge(Math.Min(a, b), Math.Max(a, b), 1f, LinkRule.Decision), $"merge, {label}"));
                        }

                        if (merge.SameLegalEntity && _clients.Same(a, b))
                        {
                            UnionEntities(a, b);
                        }
                    }

                    break;
                case NeverLinkDecision never:
                    var pair = Resolve([never.First, never.Second], issues, label);
                    if (pair.Count == 2 && !_clients.Same(pair[0], pair[1]))
                    {
                        _clients.Forbid(pair[0], pair[1]);
                    }

                    break;
                case SplitDecision split:
                    var part = Resolve(split.Members, issues, label);
                    if (part.Count == 0)
                    {
                        break;
                    }

                    for (var k = 1; k < part.Count; k++)
                    {
                        if (_clients.Union(part[0], part[k]))
                        {
                            Links.Add((new Edge(Math.Min(part[0], part[k]), Math.Max(part[0], part[k]), 1f, LinkRule.Decision), $"kept together by split, {label}"));
                        }
                    }

                    foreach (var f in Resolve(split.From, issues, label))
                    {
                        if (!_clients.Same(part[0], f))
                        {
                            _clients.Forbid(part[0], f);
                        }
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown decision type {decisions[d].GetType().Name}; pass MergeDecision, SplitDecision or NeverLinkDecision.", nameof(decisions));
            }
        }
    }

    public void ApplyIdentity()
    {
        var records = _table.Records;
        var byInn = new Dictionary<long, int>();
        var byOgrn = new Dictionary<long, int>();
        for (var i = 0; i < records.Length; i++)
        {
            if (records[i].HasValidInn)
            {
                if (byInn.TryGetValue(records[i].Inn, out var first))
                {
                    Link(new Edge(first, i, 1f, LinkRule.SameTaxId), entityLevel: true);
                }
                else
                {
                    byInn.Add(records[i].Inn, i);
                }
            }

            if (records[i].HasValidOgrn)
            {
                if (byOgrn.TryGetValue(records[i].Ogrn, out var first))
                {
                    // Same OGRN with two different valid INNs is a contradiction: one client, not one entity.
                    var conflict = records[first].HasValidInn && records[i].HasValidInn && records[first].Inn != records[i].Inn;
                    Link(new Edge(first, i, 1f, LinkRule.SameRegistrationNumber), entityLevel: !conflict);
                }
                else
                {
                    byOgrn.Add(records[i].Ogrn, i);
                }
            }
        }
    }

    public void ApplyParents(List<InputIssue> issues)
    {
        var records = _table.Records;
        for (var i = 0; i < records.Length; i++)
        {
            var p = records[i].Parent;
            if (p < 0 || p == i)
            {
                continue;
            }

            var (a, b) = (Math.Min(i, p), Math.Max(i, p));
            var differentInn = records[i].HasValidInn && records[p].HasValidInn && records[i].Inn != records[p].Inn;
            if (differentInn)
            {
                Link(new Edge(a, b, 0.9f, LinkRule.GroupParentColumn), entityLevel: false);
            }
            else
            {
                Link(new Edge(a, b, 0.95f, LinkRule.ParentColumn), entityLevel: true);
            }
        }

        ReportCycles(issues);
    }

    /// <summary>Links scored edges strongest first. A model link that would join two clients of several rows must be
    /// favoured by every pair of their rows the blocks compared (<paramref name="scoreOf"/>): the sum of their log-odds
    /// is at least zero. One pair of namesakes sharing a phone does not chain two sites of ten rows each.</summary>
    public void ApplyScored(List<Edge> edges, double linkThreshold, Func<int, int, float?>? scoreOf = null)
    {
        edges.Sort((x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        foreach (var e in edges)
        {
            // Scores are sums of float weights; the tolerance keeps 0.5 + 0.3 from landing just under 0.8.
            if (e.Score < linkThreshold - 1e-4)
            {
                Review.Add(e);
                continue;
            }

            if (scoreOf is not null && e.Rule == LinkRule.Similarity && !HoldsOnAverage(e, scoreOf))
            {
                Review.Add(e);
                continue;
            }

            if (!Link(e, e.IsEntityLevel) && !_clients.Same(e.A, e.B) && _clients.CanUnion(e.A, e.B))
            {
                Review.Add(e);
            }
        }

        // Pairs that ended up together anyway need nobody's attention; edges were sorted, so review stays best first.
        Review.RemoveAll(e => _clients.Same(e.A, e.B) || !_clients.CanUnion(e.A, e.B));
    }

    /// <summary>Whether the compared pairs between the two clients, together, favour joining them.</summary>
    private bool HoldsOnAverage(Edge e, Func<int, int, float?> scoreOf)
    {
        var (sa, sb) = (_clients.SizeOf(e.A), _clients.SizeOf(e.B));
        if (_clients.Same(e.A, e.B) || (long)sa * sb == 1 || (long)sa * sb > MaxAverageLinkagePairs)
        {
            return true;
        }

        // The join is the likelier partition when the log-odds of the compared pairs it puts together sum above zero
        // (correlation clustering under the model's own odds): a few strong pairs carry it, many denials stop it.
        double logOdds = 0;
        foreach (var x in _clients.Members(e.A))
        {
            foreach (var y in _clients.Members(e.B))
            {
                if (scoreOf(Math.Min(x, y), Math.Max(x, y)) is { } score)
                {
                    var p = Math.Clamp(score, 1e-6, 1 - 1e-6);
                    logOdds += Math.Log(p / (1 - p));
                }
            }
        }

        return logOdds >= 0;
    }

    private bool Link(Edge e, bool entityLevel)
    {
        if (entityLevel)
        {
            var (ea, eb) = (_entities.Find(e.A), _entities.Find(e.B));
            if (ea != eb && _entityInn[ea] != 0 && _entityInn[eb] != 0 && _entityInn[ea] != _entityInn[eb])
            {
                return false;
            }
        }

        if (!_clients.CanUnion(e.A, e.B))
        {
            return false;
        }

        var joined = _clients.Union(e.A, e.B);
        if (entityLevel)
        {
            joined |= UnionEntities(e.A, e.B);
        }

        if (joined)
        {
            Links.Add((e, null));
        }

        return true;
    }

    private bool UnionEntities(int a, int b)
    {
        var (ea, eb) = (_entities.Find(a), _entities.Find(b));
        if (ea == eb)
        {
            return false;
        }

        var inn = _entityInn[ea] != 0 ? _entityInn[ea] : _entityInn[eb];
        _entities.Union(a, b);
        _entityInn[_entities.Find(a)] = inn;
        return true;
    }

    private List<int> Resolve(IReadOnlyList<MemberKey> keys, List<InputIssue> issues, string label)
    {
        var result = new List<int>(keys.Count);
        foreach (var key in keys)
        {
            if (_table.IndexByKey.TryGetValue(key, out var i))
            {
                result.Add(i);
            }
            else
            {
                issues.Add(new InputIssue(key, IssueKind.UnknownDecisionMember, $"{label} names {key}, which is not in the input; skipped"));
            }
        }

        return result;
    }

    private void ReportCycles(List<InputIssue> issues)
    {
        var records = _table.Records;
        var state = new byte[records.Length];
        var path = new List<int>();
        for (var start = 0; start < records.Length; start++)
        {
            path.Clear();
            var x = start;
            while (x >= 0 && state[x] == 0)
            {
                state[x] = 1;
                path.Add(x);
                x = records[x].Parent;
            }

            if (x >= 0 && state[x] == 1)
            {
                var cycle = path.Skip(path.IndexOf(x)).Select(_table.KeyOf).ToList();
                var text = string.Join(" → ", cycle.Append(cycle[0]));
                foreach (var key in cycle)
                {
                    issues.Add(new InputIssue(key, IssueKind.ParentCycle, $"parent_ledger_id forms a cycle: {text}; the rows are kept together"));
                }
            }

            foreach (var p in path)
            {
                state[p] = 2;
            }
        }
    }
}

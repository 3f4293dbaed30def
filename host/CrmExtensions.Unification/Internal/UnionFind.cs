namespace CrmExtensions.Unification.Internal;

/// <summary>Union-find with cannot-link constraints: a union that would join two forbidden records is refused.</summary>
internal sealed class UnionFind
{
    private readonly int[] _parent;
    private readonly int[] _size;
    private readonly int[] _next;
    private readonly Dictionary<int, List<int>> _cannot = [];

    public UnionFind(int count)
    {
        _parent = new int[count];
        _size = new int[count];
        _next = new int[count];
        for (var i = 0; i < count; i++)
        {
            _parent[i] = i;
            _size[i] = 1;
            _next[i] = i;
        }
    }

    /// <summary>How many records the set of x holds.</summary>
    public int SizeOf(int x) => _size[Find(x)];

    /// <summary>The records of the set of x (each set is a ring through <c>_next</c>).</summary>
    public IEnumerable<int> Members(int x)
    {
        var at = x;
        do
        {
            yield return at;
            at = _next[at];
        }
        while (at != x);
    }

    public int Find(int x)
    {
        var root = x;
        while (_parent[root] != root)
        {
            root = _parent[root];
        }

        while (_parent[x] != root)
        {
            (x, _parent[x]) = (_parent[x], root);
        }

        return root;
    }

    public bool Same(int a, int b) => Find(a) == Find(b);

    public bool CanUnion(int a, int b)
    {
        var (ra, rb) = (Find(a), Find(b));
        if (ra == rb)
        {
            return true;
        }

        var la = _cannot.GetValueOrDefault(ra);
        var lb = _cannot.GetValueOrDefault(rb);
        var (list, other) = (la?.Count ?? 0) <= (lb?.Count ?? 0) ? (la, rb) : (lb, ra);
        return list is null || !list.Exists(x => Find(x) == other);
    }

    /// <summary>Joins the sets of a and b unless forbidden; returns true when a new union was made.</summary>
    public bool Union(int a, int b)
    {
        var (ra, rb) = (Find(a), Find(b));
        if (ra == rb || !CanUnion(ra, rb))
        {
            return false;
        }

        if (_size[ra] < _size[rb])
        {
            (ra, rb) = (rb, ra);
        }

        _parent[rb] = ra;
        _size[ra] += _size[rb];
        (_next[ra], _next[rb]) = (_next[rb], _next[ra]);
        if (_cannot.Remove(rb, out var moved))
        {
            if (_cannot.TryGetValue(ra, out var existing))
            {
                existing.AddRange(moved);
            }
            else
            {
                _cannot[ra] = moved;
            }
        }

        return true;
    }

    public void Forbid(int a, int b)
    {
        Add(Find(a), b);
        Add(Find(b), a);
    }

    private void Add(int root, int other)
    {
        if (!_cannot.TryGetValue(root, out var list))
        {
            _cannot[root] = list = [];
        }

        list.Add(other);
    }
}

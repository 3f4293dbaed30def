using System.Runtime.InteropServices;

namespace CrmExtensions.Unification.Internal;

/// <summary>Interns strings to dense ids so records hold ints, and equal values are one object.</summary>
internal sealed class StringPool
{
    private Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private bool _sealed;
    private readonly List<string> _values = [];

    // Per id, whether the value holds an ASCII digit: a number (house, postcode, phone) only ever matches exactly, and
    // the comparisons ask for every word of every pair.
    private readonly List<bool> _numeric = [];

    public int Count => _values.Count;

    public string this[int id] => _values[id];

    /// <summary>Whether the value of <paramref name="id"/> holds an ASCII digit.</summary>
    public bool IsNumeric(int id) => _numeric[id];

    /// <summary>Drops the lookup from value to id: ids keep their values, but nothing more can be interned.</summary>
    /// <remarks>At a million rows the lookup holds millions of entries that nothing needs once records are built.</remarks>
    public void Seal()
    {
        _ids = new(0, StringComparer.Ordinal);
        _sealed = true;
    }

    public bool TryGet(string value, out int id) => _ids.TryGetValue(value, out id);

    public int Intern(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return -1;
        }

        // Sealed, the lookup is empty: nothing can be found or added. One hash lookup finds or adds a value.
        ObjectDisposedException.ThrowIf(_sealed, this);
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, value, out var exists);
        if (!exists)
        {
            id = _values.Count;
            _values.Add(value);
            _numeric.Add(value.AsSpan().IndexOfAnyInRange('0', '9') >= 0);
        }

        return id;
    }

    public int[] Intern(string[] values)
    {
        if (values.Length == 0)
        {
            return [];
        }

        var ids = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            ids[i] = Intern(values[i]);
        }

        return ids;
    }
}

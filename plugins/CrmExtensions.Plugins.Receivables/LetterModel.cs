using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CrmExtensions.Plugins.Receivables;

/// <summary>A letter's template model, made when it is first read.</summary>
/// <remarks>The host reads a reminder's mail only to queue it, once per key: a rule evaluated again returns every reminder
/// it returned before, and making each letter's words again (dates, sums, the client's list of debts) was most of the
/// rule's own cost.</remarks>
internal sealed class LetterModel(Func<Dictionary<string, object?>> make) : IReadOnlyDictionary<string, object?>
{
    private Dictionary<string, object?>? _model;

    private Dictionary<string, object?> Model => LazyInitializer.EnsureInitialized(ref _model, make);

    public object? this[string key] => Model[key];

    public IEnumerable<string> Keys => Model.Keys;

    public IEnumerable<object?> Values => Model.Values;

    public int Count => Model.Count;

    public bool ContainsKey(string key) => Model.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => Model.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Model.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

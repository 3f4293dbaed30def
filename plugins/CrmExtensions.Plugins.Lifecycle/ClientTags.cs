using CrmExtensions.Sdk.Facts;

namespace CrmExtensions.Plugins.Lifecycle;

/// <summary>One tag's values on every client, looked up client after client in the facts stream's order.</summary>
/// <remarks>
/// The facts come in client id order, and the host streams a tag's values in the same order (numeric ids, the shorter
/// first): the values are then merged with the facts as they come, with no table by client. A stream in another order is
/// sorted first; facts that come out of that order (a host ordering its ids otherwise) switch to a table by client for
/// the rest of the evaluation, so the answers never depend on the order.
/// </remarks>
internal sealed class ClientTags
{
    private readonly List<KeyValuePair<string, string>> _tags;
    private int _next;
    private string? _lastAsked;
    private Dictionary<string, string>? _byClient;

    private ClientTags(List<KeyValuePair<string, string>> tags) => _tags = tags;

    /// <summary>Reads the tag's current values.</summary>
    public static async Task<ClientTags> ReadAsync(ICrmFacts facts, string name, CancellationToken cancellationToken)
    {
        var tags = new List<KeyValuePair<string, string>>();
        var sorted = true;
        await foreach (var tag in facts.StreamClientTagsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            sorted = sorted && (tags.Count == 0 || Compare(tags[^1].Key, tag.Key) < 0);
            tags.Add(tag);
        }

        if (!sorted)
        {
            tags.Sort((a, b) => Compare(a.Key, b.Key));
        }

        return new ClientTags(tags);
    }

    /// <summary>The client's value, or null when it has none.</summary>
    public string? ValueOf(string clientId)
    {
        if (_byClient is null && _lastAsked is not null && Compare(_lastAsked, clientId) >= 0)
        {
            _byClient = new Dictionary<string, string>(_tags.Count, StringComparer.Ordinal);
            foreach (var (client, value) in _tags)
            {
                _byClient[client] = value;
            }
        }

        if (_byClient is not null)
        {
            return _byClient.GetValueOrDefault(clientId);
        }

        _lastAsked = clientId;
        while (_next < _tags.Count && Compare(_tags[_next].Key, clientId) < 0)
        {
            _next++;
        }

        return _next < _tags.Count && string.Equals(_tags[_next].Key, clientId, StringComparison.Ordinal) ? _tags[_next++].Value : null;
    }

    /// <summary>The host's order of client ids: numeric ids by value (the shorter first), any others by length, then ordinally.</summary>
    internal static int Compare(string a, string b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}

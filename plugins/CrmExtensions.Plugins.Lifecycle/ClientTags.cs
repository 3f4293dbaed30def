using CrmExtensions.Sdk.Facts;

namespace CrmExtensions.Plugins.Lifecycle;

/// <summary>One tag's values on every client, looked up client after client in the facts stream's order.</summary>
/// <remarks>
/// The facts come in client id order, and the host streams a tag's values in the same order (numeric ids, the shorter
/// first): the values are then merged with the facts as both streams come, with no table by client and no tag kept past
/// its client. Facts that come out of that order (a host ordering its ids otherwise), or a tag stream seen going back
/// as it is passed, switch to a table by client, read again whole, for the rest of the evaluation. A tag stream is only
/// seen out of order where it is passed: a host that streamed the facts in this order but a tag in another could be
/// answered "none" for a client whose value is still to come. Both hosts there are (crmx, in process and in its
/// workers, and the test kit's in-memory CRM) stream a tag in the order they stream the facts. The evaluation's own tag
/// writes are committed after it, so reading the tag again gives the same values.
/// </remarks>
internal sealed class ClientTags(ICrmFacts facts, string name, CancellationToken cancellationToken) : IAsyncDisposable
{
    private IAsyncEnumerator<KeyValuePair<string, string>>? _stream;
    private bool _current;
    private string? _lastAsked;
    private Dictionary<string, string>? _byClient;

    /// <summary>Starts reading the tag's current values.</summary>
    public static async Task<ClientTags> OpenAsync(ICrmFacts facts, string name, CancellationToken cancellationToken)
    {
        var tags = new ClientTags(facts, name, cancellationToken);
        tags._stream = facts.StreamClientTagsAsync(name, cancellationToken).GetAsyncEnumerator(cancellationToken);
        tags._current = await tags._stream.MoveNextAsync().ConfigureAwait(false);
        return tags;
    }

    /// <summary>The client's value, or null when it has none.</summary>
    public async ValueTask<string?> ValueOfAsync(string clientId)
    {
        if (_byClient is null && _lastAsked is not null && Compare(_lastAsked, clientId) >= 0)
        {
            await ReadWholeAsync().ConfigureAwait(false);
        }

        if (_byClient is not null)
        {
            return _byClient.GetValueOrDefault(clientId);
        }

        _lastAsked = clientId;
        while (_current && Compare(_stream!.Current.Key, clientId) < 0)
        {
            var passed = _stream.Current.Key;
            _current = await _stream.MoveNextAsync().ConfigureAwait(false);
            if (_current && Compare(passed, _stream.Current.Key) >= 0)
            {
                // Not in the host's order: a tag passed may belong to a client still to come.
                await ReadWholeAsync().ConfigureAwait(false);
                return _byClient!.GetValueOrDefault(clientId);
            }
        }

        return _current && string.Equals(_stream!.Current.Key, clientId, StringComparison.Ordinal) ? _stream.Current.Value : null;
    }

    private async Task ReadWholeAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        _byClient = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var (client, value) in facts.StreamClientTagsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            _byClient[client] = value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is { } stream)
        {
            _stream = null;
            _current = false;
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The host's order of client ids: numeric ids by value (the shorter first), any others by length, then ordinally.</summary>
    internal static int Compare(string a, string b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}

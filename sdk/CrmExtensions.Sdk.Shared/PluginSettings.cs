namespace CrmExtensions.Sdk.Shared;

/// <summary>A plugin's settings as text, keys compared ignoring case; the host fills it from its configuration, the test kit from the test.</summary>
internal sealed class PluginSettings : IPluginSettings
{
    private readonly Dictionary<string, string> _values;

    public PluginSettings(IEnumerable<KeyValuePair<string, string>>? values) =>
        _values = new Dictionary<string, string>(values ?? [], StringComparer.OrdinalIgnoreCase);

    public string? Get(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _values.TryGetValue(key, out var value) ? value : null;
    }
}

using System.Globalization;

namespace CrmExtensions.Sdk;

/// <summary>The plugin's settings, from <c>plugins.settings.&lt;pluginId&gt;</c> of the host's configuration (SDK 1.1).</summary>
/// <remarks>Registered in every plugin's container; values are text, read once at load. Thread-safe.</remarks>
/// <example><code>"plugins": { "settings": { "Acme.Dunning": { "levels": "1;14;30" } } }</code></example>
public interface IPluginSettings
{
    /// <summary>Gets a setting's value.</summary>
    /// <param name="key">The key, case-insensitive.</param>
    /// <returns>The value, or <see langword="null"/> when it is not set.</returns>
    string? Get(string key);

    /// <summary>Gets a whole number, or a default when the setting is absent.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the setting is absent.</param>
    /// <returns>The number.</returns>
    /// <exception cref="PluginConfigurationException">The value is not a whole number.</exception>
    int GetInt32(string key, int defaultValue) => Get(key) is not { } text ? defaultValue
        : int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new PluginConfigurationException($"Setting '{key}' is '{text}', not a whole number.", null);

    /// <summary>Gets a decimal number (invariant: <c>1234.5</c>), or a default when the setting is absent.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value when the setting is absent.</param>
    /// <returns>The number.</returns>
    /// <exception cref="PluginConfigurationException">The value is not a number.</exception>
    decimal GetDecimal(string key, decimal defaultValue) => Get(key) is not { } text ? defaultValue
        : decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value
        : throw new PluginConfigurationException($"Setting '{key}' is '{text}', not a number.", null);

    /// <summary>Gets a list: the value split at <c>;</c>, each item trimmed, empty items dropped.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The items, or <see langword="null"/> when the setting is absent.</returns>
    IReadOnlyList<string>? GetList(string key) =>
        Get(key)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

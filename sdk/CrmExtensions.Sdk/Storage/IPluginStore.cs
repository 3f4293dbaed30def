namespace CrmExtensions.Sdk.Storage;

/// <summary>A key/value store private to one plugin, kept in the CRM's store.</summary>
/// <remarks>Keys are at most 200 characters. During an event delivery, writes commit with the delivery.</remarks>
public interface IPluginStore
{
    /// <summary>Reads a value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The value, or <see langword="null"/> when the key is absent.</returns>
    Task<string?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes a value, replacing any value under the key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the value is written.</returns>
    Task SetAsync(string key, string value, CancellationToken cancellationToken);

    /// <summary>Deletes a value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the key is gone.</returns>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

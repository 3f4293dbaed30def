using System.Globalization;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Storage;

/// <summary>The store's side of the client id rule (<see cref="ClientIds"/>): it numbers its clients and hands the numbers
/// out as decimal text, so only that exact text names a client; any other (<c>c1</c>, <c>042</c>, <c>+42</c>) names none.</summary>
internal static class StoreClientIds
{
    /// <summary>The store's number of an id it handed out; false for any other text.</summary>
    public static bool TryParse(string? clientId, out long id) =>
        long.TryParse(clientId, NumberStyles.None, CultureInfo.InvariantCulture, out id) && Format(id) == clientId;

    /// <summary>The store's number of an id already checked with <see cref="ClientIds"/>.</summary>
    /// <exception cref="InvalidOperationException">The id is not one the store hands out (a write that skipped the check).</exception>
    public static long Parse(string clientId) => TryParse(clientId, out var id)
        ? id
        : throw new InvalidOperationException($"Client id '{clientId}' was written without being checked; {ClientIds.Unknown(clientId)}");

    /// <summary>The id the store hands out for its client number.</summary>
    public static string Format(long id) => id.ToString(CultureInfo.InvariantCulture);
}

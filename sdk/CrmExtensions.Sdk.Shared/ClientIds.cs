namespace CrmExtensions.Sdk.Shared;

/// <summary>The one rule for client ids, kept the same in the host and the test kit.</summary>
/// <remarks>
/// A client id is opaque text: the CRM hands it out (in <c>Client.ClientId</c>, <c>ClientFacts.ClientId</c>,
/// <c>OverdueInvoice.ClientId</c>, …) and accepts back only what it handed out. The host's ids happen to be decimal
/// numbers and the test kit's are whatever it was seeded with; a plugin relies on neither.
/// </remarks>
internal static class ClientIds
{
    /// <summary>Refuses an id the CRM never handed out, with the same words in the host and the test kit.</summary>
    /// <exception cref="ArgumentException"><paramref name="clientId"/> is empty or names no client.</exception>
    public static async Task CheckHandedOutAsync(ICommittedState committed, string clientId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        if (!await committed.ClientExistsAsync(clientId, cancellationToken).ConfigureAwait(false))
        {
            throw new ArgumentException(Unknown(clientId), nameof(clientId));
        }
    }

    /// <summary>What the host and the test kit say about an id the CRM never handed out.</summary>
    public static string Unknown(string clientId) =>
        $"There is no client '{clientId}'; client ids are opaque text, and only the ones the CRM handed out (Client.ClientId, ClientFacts.ClientId and the like) are accepted.";
}

namespace CrmExtensions.Sdk.Model;

/// <summary>What a plugin may read: the CRM's mirror of the ledgers, its clients, activities and deals. Read-only.</summary>
/// <remarks>Thread-safe. Reads see committed data only: a handler's own writes become visible after its delivery commits.</remarks>
/// <example>
/// <code>
/// // A handler that greets the client of a new counterparty, found through the reader.
/// public sealed class WelcomeHandler(ICrmReader reader, ICrmWriter writer) : IEventHandler
/// {
///     public async Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
///     {
///         var key = new LedgerKey(crmEvent.Ledger, crmEvent.LedgerId);
///         if (await reader.GetCounterpartyAsync(key, cancellationToken) is not { Email: { } email } counterparty)
///         {
///             return;
///         }
///
///         var client = await reader.FindClientAsync(key, cancellationToken);
///         await writer.QueueMailAsync(new OutgoingMail
///         {
///             Key = "welcome:" + key,
///             Template = "welcome",
///             To = email,
///             Model = new Dictionary&lt;string, object?&gt; { ["name"] = client?.DisplayName ?? counterparty.Name },
///             ClientId = client?.ClientId,
///         }, cancellationToken);
///     }
/// }
/// </code>
/// </example>
public interface ICrmReader
{
    /// <summary>Gets a client with its members.</summary>
    /// <param name="clientId">The client's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The client, or <see langword="null"/> when there is none with that id.</returns>
    Task<Client?> GetClientAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>Finds the client a ledger counterparty belongs to.</summary>
    /// <param name="counterparty">The counterparty.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The client, or <see langword="null"/> when the counterparty is not (yet) in one.</returns>
    Task<Client?> FindClientAsync(LedgerKey counterparty, CancellationToken cancellationToken);

    /// <summary>Gets a counterparty.</summary>
    /// <param name="key">The counterparty's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counterparty, or <see langword="null"/>.</returns>
    Task<Counterparty?> GetCounterpartyAsync(LedgerKey key, CancellationToken cancellationToken);

    /// <summary>Gets the contact persons of a counterparty.</summary>
    /// <param name="counterparty">The counterparty.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The contacts, possibly none.</returns>
    Task<IReadOnlyList<Contact>> GetContactsAsync(LedgerKey counterparty, CancellationToken cancellationToken);

    /// <summary>Gets an invoice.</summary>
    /// <param name="key">The invoice's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The invoice, or <see langword="null"/>.</returns>
    Task<Invoice?> GetInvoiceAsync(LedgerKey key, CancellationToken cancellationToken);

    /// <summary>Gets the invoices of a counterparty, newest first.</summary>
    /// <param name="counterparty">The counterparty.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The invoices, possibly none.</returns>
    Task<IReadOnlyList<Invoice>> GetInvoicesAsync(LedgerKey counterparty, CancellationToken cancellationToken);

    /// <summary>Gets unpaid invoices due before a date, oldest due first.</summary>
    /// <param name="dueBefore">Only invoices whose due date is before this date.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The overdue invoices.</returns>
    /// <remarks>The same as <see cref="GetUnsettledInvoicesDueBeforeAsync"/>, which names what it does: payments are not counted.</remarks>
    [Obsolete("Use GetUnsettledInvoicesDueBeforeAsync (the same query: invoices not marked settled, payments not counted), or ICrmFacts.StreamOverdueInvoicesAsync for what is still owed as of a day.")]
    Task<IReadOnlyList<Invoice>> GetOverdueInvoicesAsync(DateOnly dueBefore, int limit, CancellationToken cancellationToken);

    /// <summary>Gets the invoices the ledgers have not marked settled and that fell due before a date, oldest due first (SDK 1.2).</summary>
    /// <param name="dueBefore">Only invoices whose due date is before this date.</param>
    /// <param name="limit">At most this many; greater than zero.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The invoices, at most <paramref name="limit"/>; vanished ones are left out.</returns>
    /// <remarks>
    /// Reads the invoice's settled mark only: a payment the ledger has not yet matched to the invoice does not count, and
    /// neither does a partial one. For what a client still owes as of a day, payments counted, use
    /// <see cref="Facts.ICrmFacts.StreamOverdueInvoicesAsync"/> or <see cref="Facts.ICrmFacts.GetClientOverdueInvoicesAsync"/>.
    /// Replaces the 1.0 name <see cref="GetOverdueInvoicesAsync"/>; the default implementation calls it, so a reader written
    /// against SDK 1.0 or 1.1 answers both.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is zero or negative.</exception>
    Task<IReadOnlyList<Invoice>> GetUnsettledInvoicesDueBeforeAsync(DateOnly dueBefore, int limit, CancellationToken cancellationToken)
    {
#pragma warning disable CS0618 // the 1.0 member is what a reader written before 1.2 implements
        return GetOverdueInvoicesAsync(dueBefore, limit, cancellationToken);
#pragma warning restore CS0618
    }

    /// <summary>Gets the payments of a counterparty, newest first.</summary>
    /// <param name="counterparty">The counterparty.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The payments, possibly none.</returns>
    Task<IReadOnlyList<Payment>> GetPaymentsAsync(LedgerKey counterparty, CancellationToken cancellationToken);

    /// <summary>Gets the activities recorded for a counterparty, newest first.</summary>
    /// <param name="counterparty">The counterparty.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The activities, possibly none.</returns>
    Task<IReadOnlyList<Activity>> GetActivitiesAsync(LedgerKey counterparty, CancellationToken cancellationToken);

    /// <summary>Gets a deal.</summary>
    /// <param name="dealId">The deal's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The deal, or <see langword="null"/>.</returns>
    Task<Deal?> GetDealAsync(string dealId, CancellationToken cancellationToken);

    /// <summary>Gets whom the CRM writes to about a client: the contact campaigns would address, with why (SDK 1.2).</summary>
    /// <param name="clientId">The client, as the CRM handed it out.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recipient, or <see langword="null"/> when the client has no address at all or is unknown.</returns>
    /// <remarks>See <see cref="Recipient"/> for the rule. The host and the test kit implement it; the default implementation,
    /// for readers written against SDK 1.0 or 1.1, throws <see cref="NotSupportedException"/>.</remarks>
    /// <example>
    /// <code>
    /// if (await reader.GetRecipientAsync(client.ClientId, cancellationToken) is { } to)
    /// {
    ///     mail = new OutgoingMail { To = to.Address, ... };   // to.Name: "Иванов Иван Петрович", to.Why: "contact person, Генеральный директор"
    /// }
    /// </code>
    /// </example>
    Task<Recipient?> GetRecipientAsync(string clientId, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} was written before SDK 1.2 and does not choose recipients.");

    /// <summary>Gets the products the CRM recommends to a client, best first, each with its reason (SDK 1.3).</summary>
    /// <param name="clientId">The client, as the CRM handed it out.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recommendations, possibly none (also for an unknown client, or a ledger without invoice lines).</returns>
    /// <remarks>The host and the test kit implement it; the default implementation, for readers written against earlier SDKs,
    /// throws <see cref="NotSupportedException"/>.</remarks>
    /// <example>
    /// <code>
    /// foreach (var r in await reader.GetRecommendationsAsync(client.ClientId, cancellationToken))
    /// {
    ///     lines.Add($"{r.Name}: {r.Reason}");   // "Грунтовка: bought by 34 of the 41 clients who bought Краска фасадная"
    /// }
    /// </code>
    /// </example>
    Task<IReadOnlyList<ProductRecommendation>> GetRecommendationsAsync(string clientId, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} was written before SDK 1.3 and does not recommend products.");
    /// <summary>Gets whether a client is in a segment today, as a campaign to that segment would select it (SDK 1.3).</summary>
    /// <param name="clientId">The client, as the CRM handed it out.</param>
    /// <param name="segment">A segment as <c>crmx campaign send --segment</c> takes it: <c>overdue=yes</c>, <c>abc=A</c>,
    /// <c>tag=vip</c>, <c>stage=expansion</c>, <c>region=Москва</c>, or <c>segment=NAME</c> for a behaviour segment stored
    /// with <c>crmx segment add</c> (a rule over RFM scores, revenue, debt, tags and the contact log).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="true"/> when the client is current and in the segment; <see langword="false"/> for a client
    /// that is not, or that the CRM does not know.</returns>
    /// <exception cref="ArgumentException">The segment is not one the CRM knows, or names a stored segment it does not have.</exception>
    /// <remarks>The host and the test kit implement it; the default implementation, for readers written against earlier
    /// SDKs, throws <see cref="NotSupportedException"/>.</remarks>
    /// <example>
    /// <code>
    /// if (await reader.IsInSegmentAsync(client.ClientId, "segment=night-callers", cancellationToken))
    /// {
    ///     // offer the night plan
    /// }
    /// </code>
    /// </example>
    Task<bool> IsInSegmentAsync(string clientId, string segment, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} was written before SDK 1.3 and does not select segments.");
}

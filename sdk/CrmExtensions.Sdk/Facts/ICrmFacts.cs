namespace CrmExtensions.Sdk.Facts;

/// <summary>Streaming, as-of reads over every unified client, for rules that look at the whole client base (SDK 1.1).</summary>
/// <remarks>
/// Registered by the host in every plugin's container beside <see cref="Model.ICrmReader"/>. Each stream is one query
/// read row by row, so a rule over a million counterparties never issues a query per client. "As of" a day means what
/// the ledgers showed at the end of that day: invoices issued and payments received up to and including it, and an
/// invoice settled when its payments up to that day cover it or the CRM saw it settled on or before it. Thread-safe.
/// </remarks>
/// <example>
/// <code>
/// // A rule over the whole client base: one query, read row by row, one reminder per lapsed client.
/// public sealed class LapsedClientRule(ICrmFacts facts) : IReminderRule
/// {
///     public async Task&lt;IReadOnlyList&lt;Reminder&gt;&gt; EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
///     {
///         var reminders = new List&lt;Reminder&gt;();
///         await foreach (var client in facts.StreamClientFactsAsync(context.Today, cancellationToken))
///         {
///             if (client.RevenueLast12Months == 0 &amp;&amp; client.RevenuePrevious12Months &gt; 0)
///             {
///                 reminders.Add(new Reminder
///                 {
///                     Key = "lapsed:" + client.ClientId,
///                     Title = $"Call {client.DisplayName}: no invoice for a year",
///                     DueOn = context.Today,
///                     ClientId = client.ClientId,
///                     Manager = client.Manager,
///                 });
///             }
///         }
///
///         return reminders;
///     }
/// }
/// </code>
/// </example>
public interface ICrmFacts
{
    /// <summary>Streams the facts of every current (not retired) client, in client id order.</summary>
    /// <param name="asOf">The day the facts are for.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>One <see cref="ClientFacts"/> per client.</returns>
    IAsyncEnumerable<ClientFacts> StreamClientFactsAsync(DateOnly asOf, CancellationToken cancellationToken);

    /// <summary>Streams every invoice overdue as of a day (due before it and not settled by it), by client, oldest due first.</summary>
    /// <param name="asOf">The day; an invoice due the day before is one day overdue.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The overdue invoices with their client, member and outstanding amount.</returns>
    IAsyncEnumerable<OverdueInvoice> StreamOverdueInvoicesAsync(DateOnly asOf, CancellationToken cancellationToken);

    /// <summary>Gets the invoices of one client, over all its legal entities and branches, overdue as of a day.</summary>
    /// <param name="clientId">The client.</param>
    /// <param name="asOf">The day.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The overdue invoices, oldest due first; none for an unknown client.</returns>
    /// <remarks>The same as <see cref="GetClientOverdueInvoicesAsync"/>, whose name says it is one client's.</remarks>
    [Obsolete("Use GetClientOverdueInvoicesAsync (the same query: one client's invoices overdue as of a day, payments counted).")]
    Task<IReadOnlyList<OverdueInvoice>> GetOverdueInvoicesAsync(string clientId, DateOnly asOf, CancellationToken cancellationToken);

    /// <summary>Gets the invoices of one client, over all its legal entities and branches, overdue as of a day, payments counted (SDK 1.2).</summary>
    /// <param name="clientId">The client.</param>
    /// <param name="asOf">The day; an invoice due the day before is one day overdue.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The overdue invoices with what is still owed on each, oldest due first; none for an unknown client.</returns>
    /// <remarks>
    /// One client's share of <see cref="StreamOverdueInvoicesAsync"/>, for guards and panels that look at one client.
    /// Replaces the 1.1 name <see cref="GetOverdueInvoicesAsync"/>; the default implementation calls it, so facts written
    /// against SDK 1.1 answer both.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="clientId"/> is null or empty.</exception>
    Task<IReadOnlyList<OverdueInvoice>> GetClientOverdueInvoicesAsync(string clientId, DateOnly asOf, CancellationToken cancellationToken)
    {
#pragma warning disable CS0618 // the 1.1 member is what facts written before 1.2 implement
        return GetOverdueInvoicesAsync(clientId, asOf, cancellationToken);
#pragma warning restore CS0618
    }

    /// <summary>Streams the birthdays of contact persons and sole proprietors, and the anniversaries of organisations, falling in a window.</summary>
    /// <param name="from">The first day of the window.</param>
    /// <param name="to">The last day of the window (at most a year after <paramref name="from"/>).</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>One occasion per person or counterparty whose date falls in the window; 29 February falls on 28 February in other years.</returns>
    IAsyncEnumerable<Occasion> StreamOccasionsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken);

    /// <summary>Streams the current value of one tag on every client that has it, so a rule can write only what changed.</summary>
    /// <param name="name">The tag's name, such as <c>lifecycle.stage</c>.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>One (client id, value) pair per tagged client.</returns>
    /// <remarks>
    /// crmx streams the pairs in client id order, the order of <see cref="StreamClientFactsAsync"/>, so a rule can merge
    /// them with the facts instead of keeping a table by client; the interface promises no order, and other
    /// implementations (such as the testing SDK's in-memory CRM) and earlier hosts may stream them in any.
    /// </remarks>
    IAsyncEnumerable<KeyValuePair<string, string>> StreamClientTagsAsync(string name, CancellationToken cancellationToken);
}

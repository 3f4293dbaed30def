using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;

namespace CrmExtensions.Sdk.Storage;

/// <summary>Everything a plugin may write: activities, deals, reminders and mail into the CRM's own store. Never a ledger.</summary>
/// <remarks>
/// Writes are held while the host's call into the plugin runs and committed together when it returns (for an event,
/// atomically with the record of the delivery); a call that fails or times out leaves no trace. Thread-safe within a call.
/// </remarks>
/// <example>
/// <code>
/// // Every write of one call is committed together when the call returns, or not at all.
/// public sealed class PaidHandler(ICrmReader reader, ICrmWriter writer) : IEventHandler
/// {
///     public async Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
///     {
///         var invoice = await reader.GetInvoiceAsync(new LedgerKey(crmEvent.Ledger, crmEvent.LedgerId), cancellationToken);
///         if (invoice is null)
///         {
///             return;
///         }
///
///         await writer.AddActivityAsync(new NewActivity
///         {
///             Kind = "note",
///             Subject = $"Invoice {invoice.Number} paid",
///             Counterparty = invoice.Counterparty,
///         }, cancellationToken);
///         if (await reader.FindClientAsync(invoice.Counterparty, cancellationToken) is { } client)
///         {
///             await writer.SetClientTagAsync(client.ClientId, "billing.last-paid", invoice.Number, cancellationToken);
///         }
///     }
/// }
/// </code>
/// </example>
public interface ICrmWriter
{
    /// <summary>Records an activity.</summary>
    /// <param name="activity">The activity.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new activity's id.</returns>
    Task<string> AddActivityAsync(NewActivity activity, CancellationToken cancellationToken);

    /// <summary>Opens a deal in the first stage of one of the plugin's pipelines.</summary>
    /// <param name="deal">The deal.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new deal's id.</returns>
    /// <exception cref="StageMoveException">The plugin has no pipeline of that name.</exception>
    Task<string> OpenDealAsync(NewDeal deal, CancellationToken cancellationToken);

    /// <summary>Moves a deal to another stage, if its pipeline allows the move and every guard agrees.</summary>
    /// <param name="dealId">The deal.</param>
    /// <param name="toStage">The stage to move to.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the move is recorded.</returns>
    /// <exception cref="StageMoveException">The deal is unknown, the move is not allowed, or a guard refused it.</exception>
    Task MoveDealAsync(string dealId, string toStage, CancellationToken cancellationToken);

    /// <summary>Adds a reminder; one with the same key from the same plugin is kept as it is.</summary>
    /// <param name="reminder">The reminder.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the reminder is new.</returns>
    Task<bool> AddReminderAsync(Reminder reminder, CancellationToken cancellationToken);

    /// <summary>Renders a mail from one of the plugin's templates and puts it in the outbox, once per business key.</summary>
    /// <param name="mail">The mail.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when queued; <see langword="false"/> when a mail with that key was already queued.</returns>
    /// <exception cref="TemplateException">The template is unknown or fails to render.</exception>
    Task<bool> QueueMailAsync(OutgoingMail mail, CancellationToken cancellationToken);

    /// <summary>Sets a tag on a client, such as <c>lifecycle.stage</c> = <c>commitment</c>, or removes it (SDK 1.1).</summary>
    /// <param name="clientId">The client: an id the CRM handed out (<see cref="Client.ClientId"/>), as it was handed out.</param>
    /// <param name="name">The tag's name, at most 200 characters; by convention prefixed with the plugin's topic.</param>
    /// <param name="value">The value; <see langword="null"/> removes the tag.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is held.</returns>
    /// <remarks>Tags are read by campaign segments and the client dossier. Writes of a call are applied together, in one
    /// transaction, when the call returns; setting a tag to the value it has changes nothing.</remarks>
    /// <exception cref="ArgumentException"><paramref name="clientId"/> is empty or not an id the CRM handed out ("There is no
    /// client '…'"; the host and the test kit refuse it with the same message), or <paramref name="name"/> is empty or too long.</exception>
    /// <exception cref="NotSupportedException">The host is older than SDK 1.1.</exception>
    Task SetClientTagAsync(string clientId, string name, string? value, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This host does not store client tags; it needs CrmExtensions.Sdk 1.1 or later.");
}

/// <summary>An activity to record.</summary>
public sealed class NewActivity
{
    /// <summary>Gets the kind, such as <c>call</c> or <c>note</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the one-line subject.</summary>
    public required string Subject { get; init; }

    /// <summary>Gets longer notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Gets the counterparty concerned.</summary>
    public required LedgerKey Counterparty { get; init; }
}

/// <summary>A deal to open.</summary>
public sealed class NewDeal
{
    /// <summary>Gets the name of one of the plugin's pipelines.</summary>
    public required string Pipeline { get; init; }

    /// <summary>Gets the deal's title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the expected amount.</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets the counterparty concerned.</summary>
    public required LedgerKey Counterparty { get; init; }
}

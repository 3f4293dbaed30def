using System.Collections.Frozen;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;

namespace CrmExtensions.Sdk.Reminders;

/// <summary>Decides which reminders are due; registered with <see cref="IPluginBuilder.AddReminder{TRule}"/>.</summary>
/// <remarks>Rules are evaluated repeatedly: return every reminder that is due, and the host keeps one per key.</remarks>
/// <example>
/// <code>
/// // Returns every reminder due today; the host stores each key once and cancels those no longer returned.
/// // This plugin keeps the id of the deal it opened in its own store.
/// public sealed class FollowUpRule(ICrmReader reader, IPluginStore store) : IReminderRule
/// {
///     public async Task&lt;IReadOnlyList&lt;Reminder&gt;&gt; EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
///     {
///         var dealId = await store.GetAsync("follow-up-deal", cancellationToken);
///         if (dealId is null || await reader.GetDealAsync(dealId, cancellationToken) is not { } deal)
///         {
///             return [];
///         }
///
///         var dueOn = context.Calendar.NextWorkingDay(context.Today);
///         return [new Reminder { Key = "follow-up:" + deal.Id, Title = "Follow up " + deal.Title, DueOn = dueOn, ClientId = deal.ClientId }];
///     }
/// }
/// </code>
/// </example>
public interface IReminderRule
{
    /// <summary>Returns the reminders due on <see cref="ReminderContext.Today"/>.</summary>
    /// <param name="context">The day being evaluated.</param>
    /// <param name="cancellationToken">Cancelled when the rule's time budget is spent.</param>
    /// <returns>The reminders due; their mails are queued once per business key.</returns>
    Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken);
}

/// <summary>What a reminder rule is evaluated for.</summary>
public sealed class ReminderContext
{
    /// <summary>Gets the day being evaluated, in the host's time zone.</summary>
    public required DateOnly Today { get; init; }

    /// <summary>Gets the moment of evaluation (SDK 1.1).</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>Gets the host's time zone, in which <see cref="Today"/> is reckoned (SDK 1.1).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Gets the host's working calendar: weekends and public holidays (SDK 1.1).</summary>
    public WorkingCalendar Calendar { get; init; } = WorkingCalendar.Weekends;

    /// <summary>Gets the last day this rule was evaluated before this evaluation, or null the first time (SDK 1.1).</summary>
    /// <remarks>
    /// The host evaluates a rule for <see cref="Today"/> only, even after days of downtime: return everything due up to
    /// today (a dunning level that fell due while the host was down is returned now), and the host stores it once.
    /// </remarks>
    public DateOnly? LastEvaluatedOn { get; init; }

    /// <summary>Gets the keys of the plugin's reminders already stored — open, done or cancelled — as the rule is
    /// evaluated (SDK 1.5); empty in a context made without them, such as a test's own.</summary>
    /// <remarks>
    /// The host keeps one reminder per key and changes none it has stored: of a reminder returned with a stored key it
    /// reads only the key (which keeps it from being cancelled), never its title, notes or mail. A rule that returns many
    /// reminders evaluation after evaluation may return those with a stored key without making their text again:
    /// <c>new Reminder { Key = key, Title = "", DueOn = dueOn }</c>.
    /// </remarks>
    public IReadOnlySet<string> StoredKeys { get; init; } = FrozenSet<string>.Empty;
}

/// <summary>Something a person should do, and optionally a mail to send about it.</summary>
public sealed class Reminder
{
    /// <summary>Gets the business key: one reminder per key per plugin, such as <c>overdue:msk/INV-1</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Gets what to do, in one line.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the day it is due.</summary>
    public required DateOnly DueOn { get; init; }

    /// <summary>Gets the counterparty concerned, if any.</summary>
    public LedgerKey? Counterparty { get; init; }

    /// <summary>Gets a mail to queue with the reminder, if any.</summary>
    public OutgoingMail? Mail { get; init; }

    /// <summary>Gets the unified client concerned, if any (SDK 1.1).</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the manager who should act, if any; <c>crmx reminders due --manager</c> filters on it (SDK 1.1).</summary>
    public string? Manager { get; init; }

    /// <summary>Gets longer notes: the facts behind the reminder (SDK 1.1).</summary>
    public string? Notes { get; init; }
}

namespace CrmExtensions.Sdk.Reminders;

/// <summary>
/// Asks <c>crmx run</c> to evaluate a reminder rule in every cycle (SDK 1.2). Without it a rule is evaluated when
/// something it can read has changed since its last evaluation — a ledger row, a client, an activity, a deal, a tag,
/// plugin data — or the day has changed; an idle cycle evaluates nothing.
/// </summary>
/// <remarks>For rules that look at the time of day (<see cref="ReminderContext.Now"/>) or at sources outside the CRM.</remarks>
/// <example><code>[EvaluateEveryCycle] public sealed class MeetingSoonRule(ICrmReader crm) : IReminderRule { … }</code></example>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EvaluateEveryCycleAttribute : Attribute;

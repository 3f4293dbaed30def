using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;

[assembly: CrmPlugin("Test.BenchReminders", "1.0.0", Description = "The reminders benchmark's engine-only rule: a task per overdue invoice, no mail.")]

namespace BenchReminders;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) => plugin.AddReminder<OverdueTaskRule>();
}

/// <summary>Streams every overdue invoice through the reader into one task each: the engine's cost without mail rendering.</summary>
public sealed class OverdueTaskRule(ICrmReader reader) : IReminderRule
{
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        var overdue = await reader.GetUnsettledInvoicesDueBeforeAsync(context.Today, int.MaxValue, cancellationToken);
        return overdue.Select(i => new Reminder
        {
            Key = "task:" + i.Key,
            Title = "Overdue invoice " + (i.Number ?? i.Key.Id),
            DueOn = i.DueOn!.Value.AddDays(7),
            Counterparty = i.Counterparty,
        }).ToList();
    }
}

using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Reminders;
using Microsoft.Extensions.Logging;

[assembly: CrmPlugin("Test.Logging", "1.0.0", Description = "Logs through ILogger<T> as a plugin would, and has a rule that fails, for the host's logging tests.")]

namespace Logging;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) => plugin.AddReminder<NoisyRule>().AddReminder<BrokenRule>();
}

/// <summary>Warns on every evaluation and logs a debug line that only --verbose shows; reminds of nothing.</summary>
public sealed class NoisyRule(ILogger<NoisyRule> logger) : IReminderRule
{
    public Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        logger.LogDebug("Evaluating for {Day:yyyy-MM-dd}", context.Today);
        logger.LogWarning("The price list is {Days} days old; reminders may quote stale prices", 42);
        return Task.FromResult<IReadOnlyList<Reminder>>([]);
    }
}

/// <summary>Throws, so the host's guarded call logs the failure with its stack trace.</summary>
public sealed class BrokenRule : IReminderRule
{
    public Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the rule broke on purpose");
}

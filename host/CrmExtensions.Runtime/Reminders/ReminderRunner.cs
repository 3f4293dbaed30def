using System.Data;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Storage;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Store;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Runtime.Reminders;

/// <summary>Evaluates every plugin's reminder rules and stores the new reminders and their mails, once per key.</summary>
internal sealed class ReminderRunner(CrmStore store, PluginRuntimeOptions options, PluginGuard guard)
{
    public async Task<ReminderSummary> RunAsync(IReadOnlyList<LoadedPlugin> plugins, DateOnly today, CancellationToken cancellationToken)
    {
        var rules = 0;
        var reminders = 0;
        var mails = 0;
        var problems = new List<string>();
        foreach (var plugin in plugins)
        {
            foreach (var ruleType in plugin.Registrations.Reminders)
            {
                rules++;
                var result = await guard.RunAsync(plugin.Id, $"reminder rule {ruleType.Name}", options.CallBudget, async token =>
                {
                    var (scope, writes) = plugin.BeginUnit();
                    await using (scope.ConfigureAwait(false))
                    {
                        var rule = (IReminderRule)scope.ServiceProvider.GetRequiredService(ruleType);
                        var due = await rule.EvaluateAsync(new ReminderContext { Today = today }, token).ConfigureAwait(false);
                        var rejected = new List<string>();
                        foreach (var reminder in due ?? [])
                        {
                            try
                            {
                                await writes.AddReminderAsync(reminder, token).ConfigureAwait(false);
                            }
                            catch (TemplateException ex)
                            {
                                // One bad mail must not cost the other reminders of the rule.
                                rejected.Add($"plugin '{plugin.Id}': reminder '{reminder.Key}': {ex.Message}");
                            }
                        }

                        return (Ops: writes.Seal(), Rejected: rejected);
                    }
                }, cancellationToken).ConfigureAwait(false);

                if (!result.Succeeded)
                {
                    problems.Add(result.Problem!);
                    continue;
                }

                problems.AddRange(result.Value.Rejected.Take(5));
                if (result.Value.Rejected.Count > 5)
                {
                    problems.Add($"plugin '{plugin.Id}': … and {result.Value.Rejected.Count - 5} more reminders whose mail failed to render.");
                }

                await using var connection = store.Open();
                using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
                var (newReminders, newMails) = WriteApplier.Apply(connection, transaction, store.Dialect, plugin.Id, result.Value.Ops, WriteApplier.Format(store.Time.GetUtcNow()));
                transaction.Commit();
                reminders += newReminders;
                mails += newMails;
            }
        }

        return new ReminderSummary(rules, reminders, mails, problems);
    }
}

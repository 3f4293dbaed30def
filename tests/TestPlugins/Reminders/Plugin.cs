using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Storage;

// Written as against SDK 1.0: ICrmReader.GetOverdueInvoicesAsync, obsolete since 1.2, must keep answering.
#pragma warning disable CS0618

[assembly: CrmPlugin("Test.Reminders", "1.0.0", Description = "Reminder rules driven by the ledger's overdue invoices: a call task and a dunning mail per invoice.")]

namespace Reminders;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddReminder<CallRule>().AddReminder<DunningRule>().AddTemplates("templates");
}

/// <summary>A task for the counterparty's manager for every overdue invoice, due a week after the invoice was.</summary>
public sealed class CallRule(ICrmReader reader, IPluginStore data) : IReminderRule
{
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        await Slow.DownAsync(cancellationToken);
        // What the host told the rule, for the tests to read back.
        await data.SetAsync("call:last-evaluated", context.LastEvaluatedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never", cancellationToken);
        await data.SetAsync("call:today", context.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken);
        await data.SetAsync("call:stored", string.Join(" ", context.StoredKeys.Order(StringComparer.Ordinal)), cancellationToken);
        var reminders = new List<Reminder>();
        foreach (var invoice in await reader.GetOverdueInvoicesAsync(context.Today, int.MaxValue, cancellationToken))
        {
            var counterparty = await reader.GetCounterpartyAsync(invoice.Counterparty, cancellationToken);
            reminders.Add(new Reminder
            {
                Key = "call:" + invoice.Key,
                Title = "Позвонить: счёт " + (invoice.Number ?? invoice.Key.Id) + " просрочен",
                DueOn = invoice.DueOn!.Value.AddDays(7),
                Counterparty = invoice.Counterparty,
                Manager = counterparty?.Manager,
                Notes = "Сумма " + invoice.Amount.ToString("N2", CultureInfo.GetCultureInfo("ru-RU")) + " ₽",
            });
        }

        return reminders;
    }
}

/// <summary>A dunning mail for every overdue invoice, once per invoice.</summary>
public sealed class DunningRule(ICrmReader reader) : IReminderRule
{
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        await Slow.DownAsync(cancellationToken);
        var overdue = await reader.GetOverdueInvoicesAsync(context.Today, int.MaxValue, cancellationToken);
        return overdue.Select(i => new Reminder
        {
            Key = "dunning:" + i.Key + ":1",
            Title = "Письмо о просрочке по счёту " + (i.Number ?? i.Key.Id),
            DueOn = i.DueOn!.Value.AddDays(1),
            Counterparty = i.Counterparty,
            Mail = new OutgoingMail
            {
                Key = "dunning:" + i.Key + ":1",
                Template = "dunning",
                To = "buh@example.ru",
                Model = new Dictionary<string, object?>
                {
                    ["number"] = i.Number ?? i.Key.Id,
                    ["amount"] = i.Amount.ToString("N2", CultureInfo.GetCultureInfo("ru-RU")),
                    ["due_on"] = i.DueOn?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
                },
            },
        }).ToList();
    }
}

internal static class Slow
{
    /// <summary>Lets the process tests stop or kill a host in the middle of a reminder run.</summary>
    public static Task DownAsync(CancellationToken cancellationToken) =>
        int.TryParse(Environment.GetEnvironmentVariable("CRMX_TEST_RULE_DELAY_MS"), CultureInfo.InvariantCulture, out var delay) && delay > 0
            ? Task.Delay(delay, cancellationToken)
            : Task.CompletedTask;
}

using System.Globalization;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;

namespace HelloPlugin;

/// <summary>A reminder to call, and a polite mail, for every invoice more than 30 days overdue.</summary>
public sealed class OverdueInvoiceReminder(ICrmReader crm) : IReminderRule
{
    /// <summary>How late an invoice is before anyone is bothered.</summary>
    public const int GraceDays = 30;

    /// <summary>The most reminders one evaluation creates, so a first run on an old ledger does not flood anyone.</summary>
    public const int Limit = 200;

    /// <inheritdoc />
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reminders = new List<Reminder>();
        foreach (var invoice in await crm.GetOverdueInvoicesAsync(context.Today.AddDays(-GraceDays), Limit, cancellationToken))
        {
            var counterparty = await crm.GetCounterpartyAsync(invoice.Counterparty, cancellationToken);
            var name = counterparty?.Name ?? invoice.Counterparty.ToString();
            var number = invoice.Number ?? invoice.Key.Id;
            reminders.Add(new Reminder
            {
                Key = "hello.overdue:" + invoice.Key,
                Title = $"Call {name} about invoice {number}",
                DueOn = context.Today,
                Counterparty = invoice.Counterparty,
                // No address, no mail: the reminder alone tells a person to call.
                Mail = counterparty?.Email is { Length: > 0 } email ? new OutgoingMail
                {
                    Key = $"hello.dunning:{invoice.Key}:1",
                    Template = "overdue",
                    To = email,
                    Model = new Dictionary<string, object?>
                    {
                        ["name"] = name,
                        ["number"] = number,
                        ["amount"] = invoice.Amount.ToString("N2", CultureInfo.InvariantCulture),
                        ["currency"] = invoice.Currency ?? "RUB",
                        ["due_on"] = invoice.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        ["days"] = invoice.DueOn is { } due ? context.Today.DayNumber - due.DayNumber : 0,
                    },
                } : null,
            });
        }

        return reminders;
    }
}

using System.Globalization;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Reminders;

namespace HelloPlugin;

/// <summary>A reminder to call, and a polite mail, for every invoice more than 30 days overdue.</summary>
/// <remarks>
/// Set-based: one stream of every invoice overdue today, with its counterparty's name and e-mail and what is still owed
/// after payments, instead of a query per invoice. An invoice paid in full drops out of the stream, so its open reminder
/// is cancelled; a partly paid one asks for the rest.
/// </remarks>
public sealed class OverdueInvoiceReminder(ICrmFacts facts) : IReminderRule
{
    /// <summary>How late an invoice is before anyone is bothered.</summary>
    public const int GraceDays = 30;

    /// <summary>The most reminders one evaluation creates, oldest due first, so a first run on an old ledger does not flood anyone.</summary>
    public const int Limit = 200;

    /// <inheritdoc />
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var late = new List<OverdueInvoice>();
        await foreach (var overdue in facts.StreamOverdueInvoicesAsync(context.Today, cancellationToken))
        {
            if (overdue.DaysOverdue > GraceDays)
            {
                late.Add(overdue);
            }
        }

        // The stream comes by client; the limit keeps the oldest debts wherever they are.
        return late.OrderBy(o => o.Invoice.DueOn).ThenBy(o => o.Invoice.Key.ToString(), StringComparer.Ordinal).Take(Limit)
            .Select(o => Remind(o, context.Today)).ToList();
    }

    private static Reminder Remind(OverdueInvoice overdue, DateOnly today)
    {
        var invoice = overdue.Invoice;
        var name = overdue.CounterpartyName;
        var number = invoice.Number ?? invoice.Key.Id;
        return new Reminder
        {
            Key = "hello.overdue:" + invoice.Key,
            Title = $"Call {name} about invoice {number}",
            DueOn = today,
            Counterparty = invoice.Counterparty,
            ClientId = overdue.ClientId,
            Manager = overdue.Manager,
            // No address, no mail: the reminder alone tells a person to call.
            Mail = overdue.Email is { Length: > 0 } email ? new OutgoingMail
            {
                Key = $"hello.dunning:{invoice.Key}:1",
                Template = "overdue",
                To = email,
                ClientId = overdue.ClientId,
                Model = new Dictionary<string, object?>
                {
                    ["name"] = name,
                    ["number"] = number,
                    ["amount"] = overdue.Outstanding.ToString("N2", CultureInfo.InvariantCulture),
                    ["currency"] = invoice.Currency ?? "RUB",
                    ["due_on"] = invoice.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["days"] = overdue.DaysOverdue,
                },
            } : null,
        };
    }
}

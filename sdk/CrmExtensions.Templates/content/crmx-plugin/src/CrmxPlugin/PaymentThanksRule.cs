using System.Globalization;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Reminders;

namespace CrmxPlugin;

/// <summary>A reminder to thank, and a thank-you mail, for every client that paid this week and owes nothing overdue.</summary>
/// <remarks>
/// Set-based: one stream of every client's facts as of today, read row by row, instead of a query per client. The
/// keys carry the day of the payment, so each payment day is thanked once; a week later the rule stops returning it
/// and the host cancels the reminder if nobody acted on it.
/// </remarks>
public sealed class PaymentThanksRule(ICrmFacts facts) : IReminderRule
{
    /// <summary>How many days back a payment is still worth a thank-you.</summary>
    public const int Days = 7;

    /// <inheritdoc />
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reminders = new List<Reminder>();
        await foreach (var client in facts.StreamClientFactsAsync(context.Today, cancellationToken))
        {
            if (client.LastPaymentOn is { } paidOn && paidOn > context.Today.AddDays(-Days) && client.Overdue == 0)
            {
                reminders.Add(Thank(client, paidOn, context.Today));
            }
        }

        return reminders;
    }

    private static Reminder Thank(ClientFacts client, DateOnly paidOn, DateOnly today)
    {
        var day = paidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new Reminder
        {
            Key = $"thanks:{client.ClientId}:{day}",
            Title = $"Thank {client.DisplayName} for the payment of {day}",
            DueOn = today,
            ClientId = client.ClientId,
            Manager = client.Manager,
            // The campaigns' recipient (a director or contact person with an address, else the head entity's address).
            // No address, no mail: the reminder alone asks a person to say thank you.
            Mail = client.Recipient is { } to ? new OutgoingMail
            {
                Key = $"{Startup.Id}.thanks:{client.ClientId}:{day}",
                Template = "thanks",
                To = to.Address,
                ClientId = client.ClientId,
                Model = new Dictionary<string, object?> { ["name"] = to.Name ?? client.DisplayName, ["paid_on"] = day },
            } : null,
        };
    }
}

using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Storage;

namespace CrmExtensions.Plugins.Greetings;

/// <summary>Public holidays: a greeting to every client that has bought and has an address, once per holiday per year.</summary>
/// <remarks>
/// Mails only, no task for the manager (a task per client on New Year would bury the real ones): they are queued
/// through the writer under <c>holiday:{MM-dd}:{client}:{year}</c>, on the day or within <c>catchUpDays</c> after it.
/// </remarks>
internal sealed class HolidayRule(ICrmFacts facts, ICrmWriter writer, IPluginSettings settings) : IReminderRule
{
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        var options = GreetingsOptions.From(settings);
        var today = context.Today;
        var due = options.Holidays
            .SelectMany(h => new[] { (Holiday: h, Date: h.In(today.Year)), (Holiday: h, Date: h.In(today.Year - 1)) })
            .Where(h => h.Date <= today && h.Date >= today.AddDays(-options.CatchUpDays))
            .ToList();
        if (due.Count == 0)
        {
            return [];
        }

        await foreach (var client in facts.StreamClientFactsAsync(today, cancellationToken).ConfigureAwait(false))
        {
            if (client.Email is not { Length: > 0 } email || client.Invoices == 0)
            {
                continue;
            }

            foreach (var (holiday, date) in due)
            {
                await writer.QueueMailAsync(new OutgoingMail
                {
                    Marketing = true,
                    ClientId = client.ClientId,
                    Key = string.Create(CultureInfo.InvariantCulture, $"holiday:{holiday.Code}:{client.ClientId}:{date.Year}"),
                    Template = "holiday",
                    To = email,
                    Model = new Dictionary<string, object?>
                    {
                        ["holiday"] = holiday.Name,
                        ["code"] = holiday.Code,
                        ["client_name"] = client.DisplayName,
                        ["year"] = date.Year,
                        ["sender"] = options.SenderName,
                    },
                }, cancellationToken).ConfigureAwait(false);
            }
        }

        return [];
    }
}

using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Reminders;

namespace CrmExtensions.Plugins.Receivables;

/// <summary>Every invoice overdue today, over all of a client's legal entities and branches: an escalating reminder with a letter.</summary>
/// <remarks>
/// Returns the complete set warranted today: for each overdue invoice, one reminder for the highest level whose days it
/// has reached, keyed <c>dunning:{ledger}/{invoice}:{level}</c>. Escalation supersedes: when the next level is reached,
/// the host cancels the previous level's open reminder (the rule no longer returns it), so a manager has one task per
/// invoice, the current one. A paid invoice is no longer overdue, so its reminder is cancelled too. Each level's
/// reminder and letter come once; a host that catches up on several levels at once creates only the firmest; levels
/// past the third use the third letter. The manager's task is due on the first working day from the day the level is
/// reached.
/// </remarks>
internal sealed class DunningRule(ICrmFacts facts, IPluginSettings settings) : IReminderRule
{
    private const int MaxListed = 30;

    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        var options = ReceivablesOptions.From(settings);
        var reminders = new List<Reminder>();
        var client = new List<OverdueInvoice>();
        await foreach (var overdue in facts.StreamOverdueInvoicesAsync(context.Today, cancellationToken).ConfigureAwait(false))
        {
            if (client.Count > 0 && client[0].ClientId != overdue.ClientId)
            {
                AddClient(client, options, context, reminders);
                client.Clear();
            }

            client.Add(overdue);
        }

        AddClient(client, options, context, reminders);
        return reminders;
    }

    /// <summary>One client's overdue invoices (the stream is ordered by client): each letter also lists the client's other debts.</summary>
    private static void AddClient(List<OverdueInvoice> invoices, ReceivablesOptions options, ReminderContext context, List<Reminder> reminders)
    {
        if (invoices.Count == 0)
        {
            return;
        }

        var ru = CultureInfo.GetCultureInfo("ru-RU");
        // The total, the list and the letters' models are made only for a reminder the host has not stored (SDK 1.5): of one
        // returned again it reads only the key, and evaluated again the rule returns every reminder it returned before.
        string? total = null;
        Lazy<IReadOnlyList<object?>>? list = null;
        foreach (var overdue in invoices)
        {
            var due = overdue.Invoice.DueOn!.Value;
            var reached = options.Levels.Count(days => overdue.DaysOverdue >= days);
            if (reached > 0)
            {
                var level = reached;
                var key = string.Create(CultureInfo.InvariantCulture, $"dunning:{overdue.Invoice.Key}:{level}");
                var dueOn = context.Calendar.NextWorkingDay(due.AddDays(options.Levels[level - 1]));
                if (context.StoredKeys.Contains(key))
                {
                    reminders.Add(new Reminder { Key = key, Title = "", DueOn = dueOn });
                    continue;
                }

                total ??= Letters.Total(invoices);
                list ??= List(invoices, ru);
                var clientTotal = total;
                var clientList = list;
                var number = overdue.Invoice.Number ?? overdue.Invoice.Key.Id;
                reminders.Add(new Reminder
                {
                    Key = key,
                    Title = string.Create(ru,
                        $"{Letters.Degree(level)}: счёт № {number} клиента «{overdue.ClientName}» просрочен на {overdue.DaysOverdue} дн., долг {Letters.Money(overdue.Outstanding, overdue.Invoice.Currency)}"),
                    DueOn = dueOn,
                    Counterparty = overdue.Invoice.Counterparty,
                    ClientId = overdue.ClientId,
                    Manager = overdue.Manager,
                    Notes = string.Create(ru,
                        $"Счёт выставлен {Letters.Where(overdue)} ({overdue.Invoice.Key}); срок оплаты {due:dd.MM.yyyy}; всего просрочено у клиента {total} по {invoices.Count} сч."),
                    Mail = overdue.Email is { Length: > 0 } email
                        ? new OutgoingMail
                        {
                            Key = key,
                            Template = "dunning-" + Math.Min(level, 3).ToString(CultureInfo.InvariantCulture),
                            To = email,
                            Model = new LetterModel(() => Letters.Model(overdue, clientTotal, clientList.Value, options.SenderName)),
                        }
                        : null,
                });
            }
        }
    }

    /// <summary>A letter's list of the client's overdue invoices, the oldest first, up to a page's worth (the total covers
    /// all), made only if the host reads a letter: it renders only a new reminder's.</summary>
    private static Lazy<IReadOnlyList<object?>> List(List<OverdueInvoice> invoices, CultureInfo ru)
    {
        var count = invoices.Count;
        var listed = invoices.Take(MaxListed).ToList();
        return new Lazy<IReadOnlyList<object?>>(() =>
        {
            var lines = listed.Select(i => (object?)Letters.Line(i)).ToList();
            if (count > MaxListed)
            {
                lines.Add(string.Create(ru, $"… и ещё {count - MaxListed} сч."));
            }

            return lines;
        });
    }
}

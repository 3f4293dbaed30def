using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Storage;

namespace CrmExtensions.Plugins.Lifecycle;

/// <summary>Tags every client with its lifecycle stage and reminds the manager of a client that starts to lapse.</summary>
/// <remarks>
/// Streams the facts of the whole client base once per evaluation and the tags it wrote before, and writes only the
/// tags that change. The lapse reminder is keyed by the client and the day of its last invoice, so a client that buys
/// again and lapses again is reminded again; it is returned from the day the lapse period ends for
/// <c>remindWithinDays</c>, after which a long-gone client no longer calls for it.
/// </remarks>
internal sealed class LifecycleRule(ICrmFacts facts, ICrmWriter writer, IPluginSettings settings) : IReminderRule
{
    public const string StageTag = "lifecycle.stage";
    public const string AtRiskTag = "lifecycle.at_risk";

    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        var options = LifecycleOptions.From(settings);
        var today = context.Today;
        var stages = await ClientTags.OpenAsync(facts, StageTag, cancellationToken).ConfigureAwait(false);
        await using var stagesOpen = stages.ConfigureAwait(false);
        var atRisk = await ClientTags.OpenAsync(facts, AtRiskTag, cancellationToken).ConfigureAwait(false);
        await using var atRiskOpen = atRisk.ConfigureAwait(false);
        var reminders = new List<Reminder>();
        await foreach (var client in facts.StreamClientFactsAsync(today, cancellationToken).ConfigureAwait(false))
        {
            var stage = Stages.Of(client, today, options);
            if (await stages.ValueOfAsync(client.ClientId).ConfigureAwait(false) != stage)
            {
                await writer.SetClientTagAsync(client.ClientId, StageTag, stage, cancellationToken).ConfigureAwait(false);
            }

            var lapsing = stage == Stages.Dissolution;
            if (lapsing != await atRisk.ValueOfAsync(client.ClientId).ConfigureAwait(false) is not null)
            {
                await writer.SetClientTagAsync(client.ClientId, AtRiskTag, lapsing ? "true" : null, cancellationToken).ConfigureAwait(false);
            }

            if (lapsing && client.LastInvoiceOn is { } last && today.DayNumber - last.DayNumber < options.LapseDays + options.RemindWithinDays)
            {
                reminders.Add(LapseReminder(client, last, today, options, context));
            }
        }

        return reminders;
    }

    /// <remarks>Of a reminder the host has stored (SDK 1.5) only the key is made: the host reads nothing else of it, and its
    /// manager is looked up client by client.</remarks>
    private static Reminder LapseReminder(ClientFacts client, DateOnly last, DateOnly today, LifecycleOptions options, ReminderContext context)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"lapse:{client.ClientId}:{last:yyyy-MM-dd}");
        var dueOn = context.Calendar.NextWorkingDay(last.AddDays(options.LapseDays));
        if (context.StoredKeys.Contains(key))
        {
            return new Reminder { Key = key, Title = "", DueOn = dueOn };
        }

        var ru = CultureInfo.GetCultureInfo("ru-RU");
        return new Reminder
        {
            Key = key,
            Title = string.Create(ru, $"Клиент «{client.DisplayName}» не покупает с {last:dd.MM.yyyy}: позвонить, узнать причину"),
            DueOn = dueOn,
            ClientId = client.ClientId,
            Manager = client.Manager,
            Notes = string.Create(ru,
                $"Последний счёт {last:dd.MM.yyyy} ({today.DayNumber - last.DayNumber} дн. назад, порог {options.LapseDays} дн.); счетов всего {client.Invoices}, " +
                $"оплат {client.Payments}; выручка за 12 мес. {client.RevenueLast12Months:N2}, за предыдущие 12 мес. {client.RevenuePrevious12Months:N2}."),
        };
    }
}

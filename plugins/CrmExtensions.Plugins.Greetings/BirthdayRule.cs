using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Reminders;

namespace CrmExtensions.Plugins.Greetings;

/// <summary>Birthdays of contact persons and sole proprietors and anniversaries of organisations: a greeting mail and a task for the manager.</summary>
/// <remarks>
/// Returns, on each day, the occasions of that day and of the <c>catchUpDays</c> before it, one per person: the same
/// person entered at several counterparties of one client (duplicates, branches) is greeted once, under the first of
/// their keys that has an e-mail address. Keys are per occasion and year (<c>birthday:{ledger}/{contact}:{year}</c>,
/// <c>proprietor-birthday:…</c>, <c>anniversary:…</c>); greetings are due on the day itself, never moved to a working day.
/// </remarks>
internal sealed class BirthdayRule(ICrmFacts facts, IPluginSettings settings) : IReminderRule
{
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        var options = GreetingsOptions.From(settings);
        var people = new Dictionary<(string Who, OccasionKind Kind, string Name, DateOnly Since), Occasion>();
        await foreach (var occasion in facts.StreamOccasionsAsync(context.Today.AddDays(-options.CatchUpDays), context.Today, cancellationToken).ConfigureAwait(false))
        {
            var person = (occasion.ClientId ?? occasion.Counterparty.ToString(), occasion.Kind, Person(occasion.Name), occasion.Since);
            if (!people.TryGetValue(person, out var chosen) || Before(occasion, chosen))
            {
                people[person] = occasion;
            }
        }

        return people.Values.OrderBy(o => o.Key.ToString(), StringComparer.Ordinal).Select(o => Greeting(o, options)).ToList();
    }

    /// <summary>A name as people write it more than once: spaces, case and ё aside.</summary>
    internal static string Person(string name) =>
        string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant().Replace('Ё', 'Е');

    /// <summary>Of one person's entries, the first with an address, by key; so the choice is the same every day.</summary>
    private static bool Before(Occasion candidate, Occasion chosen) =>
        (candidate.Email is null) != (chosen.Email is null)
            ? candidate.Email is not null
            : string.CompareOrdinal(candidate.Key.ToString(), chosen.Key.ToString()) < 0;

    private static Reminder Greeting(Occasion occasion, GreetingsOptions options)
    {
        var ru = CultureInfo.GetCultureInfo("ru-RU");
        var (prefix, template, what) = occasion.Kind switch
        {
            OccasionKind.ContactBirthday => ("birthday", "birthday", "день рождения"),
            OccasionKind.ProprietorBirthday => ("proprietor-birthday", "birthday", "день рождения"),
            _ => ("anniversary", "anniversary", "годовщина регистрации"),
        };
        var key = string.Create(CultureInfo.InvariantCulture, $"{prefix}:{occasion.Key}:{occasion.Date.Year}");
        return new Reminder
        {
            Key = key,
            Title = string.Create(ru, $"Поздравить: {what} {occasion.Date:dd.MM} — {occasion.Name} ({occasion.ClientName})"),
            DueOn = occasion.Date,
            Counterparty = occasion.Counterparty,
            ClientId = occasion.ClientId,
            Manager = occasion.Manager,
            Notes = occasion.Position,
            Mail = occasion.Email is { Length: > 0 } email
                ? new OutgoingMail
                {
                    Marketing = true,
                    ClientId = occasion.ClientId,
                    Key = key,
                    Template = template,
                    To = email,
                    Model = new Dictionary<string, object?>
                    {
                        ["name"] = occasion.Name,
                        ["address"] = Address(occasion),
                        ["client_name"] = occasion.ClientName,
                        ["years"] = occasion.Years,
                        ["years_text"] = Words.Years(occasion.Years),
                        ["sender"] = options.SenderName,
                    },
                }
                : null,
        };
    }

    /// <summary>How to address the person: name and patronymic of a Russian full name, else the whole name.</summary>
    private static string Address(Occasion occasion)
    {
        if (occasion.Kind == OccasionKind.CompanyAnniversary)
        {
            return "коллеги";
        }

        var name = occasion.Name.Replace("ИП ", "", StringComparison.Ordinal).Trim();
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 ? parts[1] + " " + parts[2] : name;
    }
}

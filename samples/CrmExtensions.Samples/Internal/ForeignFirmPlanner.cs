using System.Globalization;
using System.Text;

namespace CrmExtensions.Samples.Internal;

/// <summary>Plans foreign firms (GmbH, Ltd, B.V., …): no valid INN (sometimes a VAT number typed into it), a foreign
/// phone, address and domain.</summary>
internal sealed class ForeignFirmPlanner(PlanContext context, EntityRows entityRows) : Planner(context)
{
    private readonly EntityRows _entityRows = entityRows;

    /// <summary>Adds a foreign firm's rows to <paramref name="rows"/>.</summary>
    public Entity Plan(List<PlannedRow> rows, ClientProfile client, int ledger, bool extras)
    {
        var form = Rng.Pick(Vocabulary.ForeignForms);
        var word = Rng.Pick(Vocabulary.ForeignWords);
        var trade = Rng.Pick(Vocabulary.ForeignTrades);
        var sons = Rng.Chance(0.2);
        if (sons)
        {
            (word, trade) = (Rng.Pick(Vocabulary.ForeignSurnames), "Sons");
        }

        var name = sons ? $"{word} & Sons {form.Suffix}" : Rng.Chance(0.15) ? $"{word} {trade}, {form.Suffix}" : $"{word} {trade} {form.Suffix}";
        var unique = Ids.NewNumber();
        var domain = Ids.NewDomain(Latin($"{word}-{trade}"), form.Tld, form.Country);
        var created = Context.NewCreated();
        var city = Rng.Pick(form.Cities);
        var e = new Entity
        {
            Id = Context.NewEntityId(),
            Kind = EntityKind.Foreign,
            Client = client,
            Ledger = ledger,
            Brand = name,
            Created = created,
            InnValid = false,
            // Foreign firms sometimes have their VAT number typed into the INN field.
            Inn = form.VatPrefix is not null && Rng.Chance(0.3) ? string.Create(CultureInfo.InvariantCulture, $"{form.VatPrefix}{unique:D7}{Rng.Next(100):D2}") : null,
            PhoneText = string.Create(CultureInfo.InvariantCulture, $"{form.PhonePrefix} {Rng.Next(20, 90)} {unique:D7}"),
            Email = $"{Rng.Pick(["info", "sales", "office", "orders"])}@{domain}",
            Domain = domain,
            Address = string.Create(CultureInfo.InvariantCulture, $"{form.Street} {Rng.Next(1, 200)}, {city}"),
            ForeignCity = city,
            Country = form.Country,
        };
        var head = new PlannedRow
        {
            Ledger = ledger,
            Name = name,
            Inn = e.Inn,
            InnValid = false,
            Address = e.Address,
            City = e.ForeignCity,
            Country = form.Country,
            Phone = e.PhoneText,
            Email = e.Email,
            Website = Rng.Chance(0.5) ? "www." + domain : null,
            LegalEntity = e.Id,
            Role = "foreign",
            Client = client,
            Created = created,
            InvoiceFactor = 1.16,
            Manager = Context.MaybeManager(ledger),
        };
        if (Rng.Chance(0.5))
        {
            var person = new PersonName(Rng.Pick(Vocabulary.ForeignSurnames), Rng.Pick(Vocabulary.ForeignFirstNames), null, false);
            head.Contacts.Add(new ContactPlan(person, Rng.Chance(0.5) ? "Sales manager" : null, $"{Spelling.ToSlug(person.Surname)}@{domain}", null, null));
        }

        e.Head = head;
        rows.Add(head);
        if (extras && Rng.Chance(0.15))
        {
            rows.Add(_entityRows.Duplicate(e, ledger, inAnotherLedger: false));
        }

        return e;
    }

    private static string Latin(string text) =>
        new string(text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
}

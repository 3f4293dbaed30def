namespace CrmExtensions.Samples.Internal;

/// <summary>The rows of a legal entity besides its head: contact persons, duplicates (the same entity entered again) and
/// branches (the same INN registered elsewhere, with a KPP of its own).</summary>
internal sealed class EntityRows(PlanContext context) : Planner(context)
{
    private static readonly string[] BranchCodes = ["02", "03", "04", "05", "31", "32"];

    public void AddContacts(PlannedRow row, Entity e, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var person = Context.NewPerson();
            var position = i == 0 && Rng.Chance(0.5) ? (Rng.Chance(0.6) ? "Генеральный директор" : "Главный бухгалтер")
                : Rng.Chance(0.85) ? Rng.Pick(Vocabulary.Positions) : null;
            var mail = Rng.Next(100);
            var email = e.Domain is not null && mail < 55
                ? $"{Spelling.ToSlug(person.Surname)}{(Rng.Chance(0.5) ? "." + Spelling.ToSlug(person.First[..1]) : string.Empty)}@{e.Domain}"
                : mail < 80 ? Ids.NewFreeMail(person.Surname) : null;
            row.Contacts.Add(new ContactPlan(person, position, email, Rng.Chance(0.6) ? Ids.NewMobile() : null, Rng.Chance(0.55) ? Context.AdultBirthday() : null));
        }
    }

    /// <summary>The same legal entity entered again: in the same ledger, or as its own row in another regional ledger.</summary>
    public PlannedRow Duplicate(Entity e, int ledger, bool inAnotherLedger)
    {
        // Without a valid INN only a close name plus the same phone (and mail) can tell; with one, anything goes.
        var strict = !e.InnValid;
        var name = e.Kind switch
        {
            EntityKind.SoleProprietor => Spelling.VariantSoleProprietor(Rng, e.Person!),
            EntityKind.Foreign => Spelling.VariantForeign(Rng, e.Brand),
            _ => Spelling.VariantOrganisation(Rng, e.Form!, e.Brand, close: strict),
        };
        string? phone;
        if (e.PhoneNumber is { } number && (strict || Rng.Chance(0.6)))
        {
            phone = Spelling.Phone(Rng, e.PhoneCode!, number);
        }
        else
        {
            phone = strict || Rng.Chance(0.5) ? e.PhoneText : null;
        }

        var created = e.Created.AddDays(Rng.Next(Context.AsOf.DayNumber - e.Created.DayNumber + 1));
        var row = new PlannedRow
        {
            Ledger = ledger,
            Name = name,
            Inn = e.InnValid || Rng.Chance(0.6) ? e.Inn : null,
            InnValid = e.InnValid,
            Kpp = e.Kpp is not null && Rng.Chance(0.5) ? e.Kpp : null,
            Ogrn = e.Ogrn is not null && Rng.Chance(0.4) ? e.Ogrn : null,
            Address = Rng.Chance(0.5) ? e.Address : null,
            City = e.Kind == EntityKind.Foreign ? e.ForeignCity : Context.CityText(e.City!),
            RegionCode = e.Region?.Code,
            Country = e.Kind == EntityKind.Foreign ? e.Country : (Rng.Chance(0.5) ? "Россия" : null),
            Phone = phone,
            Email = strict || Rng.Chance(0.5) ? e.Email : null,
            LegalEntity = e.Id,
            Role = "duplicate",
            Client = e.Client,
            Created = created,
            InvoiceFactor = inAnotherLedger ? 0.8 : 0.5,
            Manager = !inAnotherLedger && Rng.Chance(0.6) ? e.Head!.Manager : Context.MaybeManager(ledger),
        };
        if (inAnotherLedger || Rng.Chance(0.3))
        {
            AddContacts(row, e, Rng.Chance(0.5) ? 1 : 0);
        }

        return row;
    }

    public PlannedRow Branch(Entity e)
    {
        var region = Context.PickRegion();
        for (var i = 0; i < 3 && region == e.Region; i++)
        {
            region = Context.PickRegion();
        }

        var city = Rng.Pick(region.Cities);
        var row = new PlannedRow
        {
            Ledger = e.Ledger,
            Name = Spelling.BranchName(Rng, e.Form!, e.Brand, city.Name),
            Inn = e.Inn,
            InnValid = true,
            Kpp = Ids.TaxOffice(region) + Rng.Pick(BranchCodes) + "001",
            Ogrn = Rng.Chance(0.4) ? e.Ogrn : null,
            Parent = Rng.Chance(0.6) ? e.Head : null,
            Address = Context.Address(region, city),
            City = Context.CityText(city),
            RegionCode = region.Code,
            Country = Rng.Chance(0.6) ? "Россия" : null,
            Phone = Ids.NewLandline(city).Text,
            Email = e.Domain is not null && Rng.Chance(0.6) ? $"{Spelling.ToSlug(city.Name)}@{e.Domain}" : null,
            LegalEntity = e.Id,
            Role = "branch",
            Client = e.Client,
            Created = e.Created.AddDays(Rng.Next(Context.AsOf.DayNumber - e.Created.DayNumber + 1)),
            InvoiceFactor = 0.8,
            Manager = Context.MaybeManager(e.Ledger),
        };
        AddContacts(row, e, Rng.Chance(0.4) ? 1 : 0);
        return row;
    }
}

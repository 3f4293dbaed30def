namespace CrmExtensions.Samples.Internal;

/// <summary>Plans sole proprietors (ИП): a person with a 12-digit INN and an OGRNIP, a mobile number, sometimes a
/// birthday and a duplicate.</summary>
internal sealed class SoleProprietorPlanner(PlanContext context, EntityRows entityRows) : Planner(context)
{
    private readonly EntityRows _entityRows = entityRows;

    /// <summary>Adds a sole proprietor's rows to <paramref name="rows"/>.</summary>
    public Entity Plan(List<PlannedRow> rows, ClientProfile client, int ledger, bool extras)
    {
        var region = Context.PickRegion();
        var city = Rng.Pick(region.Cities);
        var person = Context.NewPerson();
        var created = Context.NewCreated();
        var e = new Entity
        {
            Id = Context.NewEntityId(),
            Kind = EntityKind.SoleProprietor,
            Client = client,
            Ledger = ledger,
            Person = person,
            Brand = person.Full,
            Region = region,
            City = city,
            Created = created,
            InnValid = true,
            Inn = Ids.NewInn12(Ids.TaxOffice(region)),
            Ogrn = Ids.NewOgrnip(region, Context.RegistrationYear(created)),
            Address = Context.Address(region, city),
            PhoneText = Ids.NewMobile(),
            Email = Rng.Chance(0.6) ? Ids.NewFreeMail(person.Surname) : null,
        };
        var head = new PlannedRow
        {
            Ledger = ledger,
            Name = Spelling.CanonicalSoleProprietor(Rng, person),
            Inn = e.Inn,
            InnValid = true,
            Ogrn = Rng.Chance(0.7) ? e.Ogrn : null,
            Address = e.Address,
            City = Context.CityText(city),
            RegionCode = region.Code,
            Country = Rng.Chance(0.6) ? "Россия" : null,
            Phone = Rng.Chance(0.9) ? e.PhoneText : null,
            Email = e.Email,
            Birthday = Rng.Chance(0.5) ? Context.AdultBirthday() : null,
            LegalEntity = e.Id,
            Role = "sole_proprietor",
            Client = client,
            Created = created,
            InvoiceFactor = 1.16,
            Manager = Context.MaybeManager(ledger),
        };
        _entityRows.AddContacts(head, e, Rng.Chance(0.3) ? 1 : 0);
        e.Head = head;
        rows.Add(head);
        if (extras && Rng.Chance(0.08))
        {
            rows.Add(_entityRows.Duplicate(e, ledger, inAnotherLedger: false));
        }

        return e;
    }
}

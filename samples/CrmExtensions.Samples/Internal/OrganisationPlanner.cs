using System.Globalization;

namespace CrmExtensions.Samples.Internal;

/// <summary>Plans organisations (ООО, АО, …): a head row with INN, KPP and OGRN (or an INN that fails the rules), and
/// duplicates and branches; a few sit in business centres whose switchboard number unrelated firms share.</summary>
internal sealed class OrganisationPlanner : Planner
{
    private const int SwitchboardCount = 40;

    private readonly EntityRows _entityRows;
    private readonly Switchboard[] _switchboards;

    /// <summary>Draws the business centres; the identifiers must have reserved <see cref="ReservedNumbers"/> numbers for them.</summary>
    public OrganisationPlanner(PlanContext context, EntityRows entityRows)
        : base(context)
    {
        _entityRows = entityRows;
        _switchboards = new Switchboard[SwitchboardCount];
        for (var i = 0; i < SwitchboardCount; i++)
        {
            var region = Context.PickRegion();
            var city = Rng.Pick(region.Cities);
            _switchboards[i] = new Switchboard(region, city, Ids.ReservedNumber(i), $"{Context.Address(region, city)}, {Rng.Pick(Vocabulary.BusinessCentres)}");
        }
    }

    /// <summary>How many phone numbers the switchboards take.</summary>
    public static int ReservedNumbers => SwitchboardCount;

    /// <summary>Adds an organisation's rows to <paramref name="rows"/>; a group member gets the group's signals.</summary>
    public Entity Plan(List<PlannedRow> rows, ClientProfile client, int ledger, string role, string? brand, bool validInn, bool extras, GroupSignals? group)
    {
        var form = Vocabulary.Forms[Rng.PickWeighted(Vocabulary.FormCumulative)];
        if (brand is null && validInn && group is null && Context.HasRecentBrands && Rng.Chance(0.03))
        {
            // A namesake: another firm with a name already in use, elsewhere, with nothing else in common.
            brand = Context.RecentBrand();
        }

        brand ??= Context.NewBrand();
        var switchboard = validInn && group is null && Rng.Chance(0.04) ? Rng.Pick(_switchboards) : null;
        var region = switchboard?.Region ?? Context.PickRegion();
        var city = switchboard?.City ?? Rng.Pick(region.Cities);
        var office = Ids.TaxOffice(region);
        var created = Context.NewCreated();
        var e = new Entity
        {
            Id = Context.NewEntityId(),
            Kind = EntityKind.Organisation,
            Client = client,
            Ledger = ledger,
            Form = form,
            Brand = brand,
            Region = region,
            City = city,
            Created = created,
            InnValid = validInn,
        };
        if (validInn)
        {
            e.Inn = Ids.NewInn10(office);
            e.Kpp = office + "01" + (Rng.Chance(0.9) ? "001" : "002");
            e.Ogrn = Ids.NewOgrn(region, Context.RegistrationYear(created));
        }
        else
        {
            e.Inn = Ids.InvalidInn(office);
        }

        if (switchboard is not null)
        {
            e.Address = $"{switchboard.Address}, оф. {Rng.Next(100, 1000)}";
            e.PhoneText = string.Create(CultureInfo.InvariantCulture, $"{Spelling.Phone(Rng, city.PhoneCode, switchboard.Number)} доб. {Rng.Next(100, 1000)}");
        }
        else
        {
            e.Address = Context.Address(region, city);
            (e.PhoneCode, e.PhoneNumber, e.PhoneText) = Ids.NewLandline(city);
        }

        var mail = Rng.Next(100);
        if (group?.Domain is { } groupDomain)
        {
            e.Domain = groupDomain;
            e.Email = $"{Rng.Pick(Vocabulary.MailBoxes)}@{groupDomain}";
        }
        else if (mail < 45)
        {
            e.Domain = Ids.NewDomain(brand, "ru", city.Name);
            e.Email = $"{Rng.Pick(Vocabulary.MailBoxes)}@{e.Domain}";
        }
        else if (mail < 75 || !validInn)
        {
            e.Email = Ids.NewFreeMail(brand);
        }

        if (group?.Phone is { } groupPhone)
        {
            (e.PhoneCode, e.PhoneNumber) = (groupPhone.Code, groupPhone.Number);
            e.PhoneText = Spelling.Phone(Rng, groupPhone.Code, groupPhone.Number);
        }

        var head = new PlannedRow
        {
            Ledger = ledger,
            Name = Spelling.CanonicalOrganisation(Rng, form, brand),
            Inn = e.Inn,
            InnValid = validInn,
            Kpp = e.Kpp is not null && Rng.Chance(0.92) ? e.Kpp : null,
            Ogrn = e.Ogrn is not null && Rng.Chance(0.75) ? e.Ogrn : null,
            Parent = group?.Parent,
            Address = e.Address,
            City = Context.CityText(city),
            RegionCode = region.Code,
            Country = Rng.Chance(0.6) ? "Россия" : null,
            // Without a valid INN the phone is the evidence a duplicate needs: it is always there.
            Phone = !validInn || group?.Phone is not null || Rng.Chance(0.92) ? e.PhoneText : null,
            Email = e.Email,
            Website = e.Domain is not null && Rng.Chance(0.6) ? (Rng.Chance(0.5) ? "www." + e.Domain : "https://" + e.Domain) : null,
            LegalEntity = e.Id,
            Role = role,
            Client = client,
            Created = created,
            InvoiceFactor = 1.16,
            Manager = Context.MaybeManager(ledger),
        };
        _entityRows.AddContacts(head, e, Rng.Next(100) switch { < 25 => 0, < 65 => 1, < 90 => 2, _ => 3 });
        if (group?.Director is { } director)
        {
            head.Contacts.Add(director);
        }

        e.Head = head;
        rows.Add(head);
        if (extras)
        {
            var maxExtra = group is null ? 2 : 1;
            var duplicates = Rng.Chance(validInn ? 0.10 : 0.15) ? 1 + (Rng.Chance(0.25) ? 1 : 0) : 0;
            for (var i = 0; i < Math.Min(duplicates, maxExtra); i++)
            {
                rows.Add(_entityRows.Duplicate(e, ledger, inAnotherLedger: false));
            }

            if (validInn && Rng.Chance(group is null ? 0.06 : 0.04))
            {
                var branches = 1 + Rng.Next(group is null ? 3 : 1);
                for (var i = 0; i < branches; i++)
                {
                    rows.Add(_entityRows.Branch(e));
                }
            }
        }

        return e;
    }

    private sealed record Switchboard(Region Region, City City, int Number, string Address);
}

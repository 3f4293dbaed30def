namespace CrmExtensions.Samples.Internal;

/// <summary>Plans a group of companies: several organisations with different INNs, one client.</summary>
internal sealed class GroupPlanner(PlanContext context, OrganisationPlanner organisations) : Planner(context)
{
    private readonly OrganisationPlanner _organisations = organisations;

    /// <summary>A group of companies: different INNs, one client, tied by at least two signals the engine can see.</summary>
    public void Plan(List<PlannedRow> rows, List<Entity> entities, ClientProfile client, int ledger)
    {
        var size = Rng.Next(100) switch
        {
            < 50 => 2,
            < 75 => 3,
            < 90 => 4,
            _ => 5,
        };
        var groupBrand = Context.NewBrand();
        var signals = new List<string> { "domain", "phone", "director", "parent" };
        for (var i = signals.Count - 1; i > 0; i--)
        {
            var j = Rng.Next(i + 1);
            (signals[i], signals[j]) = (signals[j], signals[i]);
        }

        var chosen = signals.Take(2 + (Rng.Chance(0.4) ? 1 : 0)).ToHashSet();
        var region = Context.PickRegion();
        var city = Rng.Pick(region.Cities);
        string? domain = chosen.Contains("domain") ? Ids.NewDomain(groupBrand + (Rng.Chance(0.5) ? " групп" : string.Empty), "ru", city.Name) : null;
        (string Code, int Number)? phone = null;
        if (chosen.Contains("phone"))
        {
            var (code, number, _) = Ids.NewLandline(city);
            phone = (code, number);
        }

        ContactPlan? director = null;
        if (chosen.Contains("director"))
        {
            var person = Context.NewPerson();
            var email = domain is not null ? $"{Spelling.ToSlug(person.Surname)}@{domain}" : Ids.NewFreeMail(person.Surname);
            director = new ContactPlan(person, Rng.Chance(0.7) ? "Генеральный директор" : "Директор", email, Ids.NewMobile(), Rng.Chance(0.7) ? Context.AdultBirthday() : null);
        }

        PlannedRow? parent = null;
        for (var i = 0; i < size; i++)
        {
            var brand = i == 0 ? groupBrand : Rng.Next(10) switch
            {
                < 4 => $"{groupBrand} {Rng.Pick(Vocabulary.Suffixes)}",
                < 6 => $"{groupBrand}-{Rng.Pick(Vocabulary.Suffixes)}",
                _ => Context.NewBrand(),
            };
            var signalsHere = new GroupSignals(domain, phone, director, i > 0 && chosen.Contains("parent") ? parent : null);
            var entity = _organisations.Plan(rows, client, ledger, i == 0 ? "head" : "group_member", brand, validInn: true, extras: true, signalsHere);
            parent ??= entity.Head;
            entities.Add(entity);
        }
    }
}

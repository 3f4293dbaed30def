using System.Globalization;

namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    // Company names and their countries, nothing else mapped, as an international supplier's ledger keeps them.
    private static List<Counterparty> WithForeignFirms(params Counterparty[] rows)
    {
        var all = rows.ToList();
        string[] countries = ["United Kingdom", "Ireland", "Germany", "Norway"];
        for (var i = 0; i < 60; i++)
        {
            all.Add(new Counterparty("main", "f" + i.ToString(CultureInfo.InvariantCulture), $"Firm{i} {(char)('A' + (i % 26))}{i * 7 % 13} Ltd")
            {
                Country = countries[i % countries.Length],
            });
        }

        return all;
    }

    [Test]
    public void Run_OneNameRegisteredInTwoCountries_TwoFirms()
    {
        var rows = WithForeignFirms(
            new Counterparty("main", "gb1", "Acme Trading Ltd") { Country = "United Kingdom" },
            new Counterparty("main", "gb2", "ACME TRADING LIMITED") { Country = "GB" },
            new Counterparty("main", "gb3", "Acme Trading Ltd.") { Country = "UK" },
            new Counterparty("main", "ie", "Acme Trading Ltd") { Country = "Ireland" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.Multiple(() =>
        {
            Assert.That(new[] { "gb2", "gb3" }.Select(id => result.ClientOf(id)), Is.All.EqualTo(result.ClientOf("gb1")), "one country however written");
            Assert.That(result.ClientOf("ie"), Is.Not.EqualTo(result.ClientOf("gb1")), "another country, nothing else in common but the name");
        });
    }

    [Test]
    public void Run_NameManyFirmsCarryInManyCountries_NoGroupAcrossThem()
    {
        // "Trident Chemicals" in eight countries, two rows in each: a name the ledger shows many firms carry, no group's.
        string[] countries = ["Italy", "Finland", "Netherlands", "Switzerland", "Poland", "Germany", "Austria", "Spain"];
        var rows = WithForeignFirms([.. countries.SelectMany((country, i) => new[]
        {
            new Counterparty("main", $"t{i}a", "Trident Chemicals") { Country = country },
            new Counterparty("main", $"t{i}b", "TRIDENT CHEMICALS") { Country = country },
        })]);

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.Multiple(() =>
        {
            Assert.That(Enumerable.Range(0, countries.Length).Select(i => result.ClientOf($"t{i}a")).Distinct().Count(), Is.EqualTo(countries.Length),
                "one client per country");
            Assert.That(Enumerable.Range(0, countries.Length).Select(i => result.ClientOf($"t{i}b")),
                Is.EqualTo(Enumerable.Range(0, countries.Length).Select(i => result.ClientOf($"t{i}a"))), "one name in one country: one firm");
        });
    }

    [Test]
    public void Run_OneWordNameInTwoCountries_NotOneLegalEntity()
    {
        var rows = WithForeignFirms(
            new Counterparty("main", "gb", "Borealis Ltd") { Country = "United Kingdom" },
            new Counterparty("main", "no", "Borealis Ltd") { Country = "Norway" },
            new Counterparty("main", "gb again", "BOREALIS LIMITED") { Country = "UK" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.Multiple(() =>
        {
            Assert.That(result.ClientOf("gb again"), Is.EqualTo(result.ClientOf("gb")));
            Assert.That(result.ClientOf("no"), Is.Not.EqualTo(result.ClientOf("gb")), "a name of one word is no group's stem, and another country is another firm");
        });
    }

    [Test]
    public void Run_OneCountryWrittenThreeWays_OneLegalEntity()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "a", "ООО «Вектор-Норд»") { Country = "Россия" },
            new Counterparty("main", "b", "Вектор-Норд ООО") { Country = "RU" },
            new Counterparty("main", "c", "ООО Вектор-Норд") { Country = "Российская Федерация" },
            new Counterparty("main", "d", "ООО \"Вектор-Норд\"") { Country = "643" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        var client = result.FindClient(result.ClientOf("a"))!;
        Assert.That(new[] { "b", "c", "d" }.Select(id => result.ClientOf(id)), Is.All.EqualTo(client.Id));
        Assert.That(client.Entities, Has.Count.EqualTo(1));
    }

    [Test]
    public void Run_MailTypedWithAnError_EvidenceForTheSamePersonNotAgainst()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "a", "Харрис Иви") { Email = "evied56@harris-bailey.net", City = "Тверь" },
            new Counterparty("main", "b", "Харис Иви") { Email = "evihd56@earris-bailey.net", City = "Тверь" },
            new Counterparty("main", "c", "Харрис Иви") { Email = "lola.b@martinez-jones.net", City = "Тверь" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        // One name in one city and nothing else: the mail typed wrong is evidence enough to ask a person, another mail
        // is not.
        var asked = result.Review.Where(r => r.First.LedgerId is "a" or "b" && r.Second.LedgerId is "a" or "b").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(asked.Select(r => r.Evidence), Has.One.Contain("email near ×"));
            Assert.That(result.Review.Where(r => r.First.LedgerId == "c" || r.Second.LedgerId == "c"), Is.Empty);
            Assert.That(result.ClientOf("c"), Is.Not.EqualTo(result.ClientOf("a")));
        });
    }

    [Test]
    public void Run_FirmsOfABusinessCentreWithNeighbouringPhonesAndMails_StayApart([Values] bool mails)
    {
        // One building, lines numbered in a row, names sharing a word: neighbours, not one firm typed twice. With a near
        // level for phones, EM learnt the building for one firm (a Bayes factor of 58,123 for a phone a digit apart).
        var rows = WithOtherFirms(
            new Counterparty("main", "a", "ООО «Альфа-Строй»") { Address = "Москва, ул. Тверская, д. 1", City = "Москва", Phone = "+7 495 123-45-67" },
            new Counterparty("main", "b", "ООО «Альфа-Трейд»") { Address = "Москва, ул. Тверская, д. 1", City = "Москва", Phone = "+7 495 123-45-68" },
            new Counterparty("main", "c", "ООО «Альфа Консалт»") { Address = "Москва, ул. Тверская, д. 1", City = "Москва", Phone = "+7 495 123-45-69" },
            new Counterparty("main", "d", "ООО «Вектор»") { Address = "Москва, ул. Тверская, д. 1", City = "Москва", Phone = "+7 495 123-45-76" });
        if (mails)
        {
            string[] numbered = ["a", "b", "c", "d"];
            rows = [.. rows.Select(r => Array.IndexOf(numbered, r.LedgerId) is var k and >= 0 ? r with { Email = $"office{k + 1}@tverskaya-bc.ru" } : r)];
        }

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.That(new[] { "a", "b", "c", "d" }.Select(id => result.ClientOf(id)).Distinct().Count(), Is.EqualTo(4));
    }
}

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
    public void Run_OneNameRegisteredInTwoCountries_TwoLegalEntitiesOfOneClient()
    {
        var rows = WithForeignFirms(
            new Counterparty("main", "gb1", "Acme Trading Ltd") { Country = "United Kingdom" },
            new Counterparty("main", "gb2", "ACME TRADING LIMITED") { Country = "GB" },
            new Counterparty("main", "gb3", "Acme Trading Ltd.") { Country = "UK" },
            new Counterparty("main", "ie", "Acme Trading Ltd") { Country = "Ireland" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        var client = result.FindClient(result.ClientOf("gb1"))!;
        Assert.Multiple(() =>
        {
            Assert.That(new[] { "gb2", "gb3", "ie" }.Select(id => result.ClientOf(id)), Is.All.EqualTo(client.Id));
            Assert.That(client.Entities, Has.Count.EqualTo(2), "one legal entity per country");
            var irish = client.Entities.Single(e => e.Branches.SelectMany(b => b.Members).Any(m => m.LedgerId == "ie"));
            Assert.That(irish.Branches.SelectMany(b => b.Members).Select(m => m.LedgerId), Is.EqualTo(new[] { "ie" }));
            Assert.That(client.Links.Where(l => l.From.LedgerId == "ie" || l.To.LedgerId == "ie").Select(l => l.Rule), Is.All.EqualTo(LinkRule.GroupEvidence));
            Assert.That(client.Links.Where(l => l.From.LedgerId == "ie" || l.To.LedgerId == "ie").Select(l => l.Evidence),
                Has.Some.Contain("countries").And.Some.Contain("name stem 'acme trading'"));
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
}

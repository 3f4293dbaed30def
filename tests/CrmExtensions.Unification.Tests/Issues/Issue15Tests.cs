using static CrmExtensions.Unification.Tests.Builders;

namespace CrmExtensions.Unification.Tests.Issues;

/// <summary>Issue 15: unification on data it has never seen — repeated names, contained names, groups by name stem.</summary>
public sealed class Issue15Tests
{
    private static readonly string[] ContainmentNames =
        ["Gears Inc.", "Northern Bikes and Gears", "Blue Ocean", "Ocean Corporation", "Orbit Foods", "Pioneer Foods"];

    private static readonly string[] NordhavnNames =
    [
        "Nordhavn Drilling Services Brasil Ltda", "Nordhavn Drilling Services Qatar Limited",
        "Nordhavn Drilling Services Malaysia Sdn Bhd", "Nordhavn Drilling Services Australia Pty Ltd.",
    ];

    // A ledger table cp(id, name) mapped as SELECT id AS ledger_id, name FROM cp: nothing but the name.
    // n = 2 and 3 passed before issue 15 too; 4 and more gave n + 1 clients.
    [Test]
    public void Run_IdenticalNameRepeatedNTimes_OneClientBesideTheOtherFirm([Range(2, 50)] int n)
    {
        var rows = Enumerable.Range(1, n).Select(i => Row(i.ToString(), "ACME HOLDING N.V.")).Append(Row("x", "Borealis Trade N.V.")).ToArray();

        var result = Run(rows);

        Assert.That(result.Summary.Clients, Is.EqualTo(2));
        Assert.That(rows.Take(n).Select(r => result.ClientOf(r.LedgerId)).Distinct().Count(), Is.EqualTo(1));
        Assert.That(result.ClientOf("x"), Is.Not.EqualTo(result.ClientOf("1")));
    }

    // One name under two legal forms, each written many times, nothing else mapped: an ООО and an АО are two firms,
    // whatever their name, so the rule that keeps a repeated name together does not join them; renamed forms of one
    // kind (ОАО, now ПАО) are one firm's, and stay together.
    [Test]
    public void Run_RepeatedNameUnderTwoLegalForms_TwoFirmsUnlessTheFormsAreOfOneKind()
    {
        var rows = new List<Counterparty>();
        rows.AddRange(Enumerable.Range(1, 8).Select(i => Row("ooo" + i, i % 2 == 0 ? "ООО «Строй»" : "Строй ООО")));
        rows.AddRange(Enumerable.Range(1, 8).Select(i => Row("ao" + i, i % 2 == 0 ? "АО «Строй»" : "Строй АО")));
        rows.AddRange(Enumerable.Range(1, 6).Select(i => Row("oao" + i, i % 2 == 0 ? "ОАО «Вектор»" : "ПАО Вектор")));
        rows.AddRange(Enumerable.Range(0, 40).Select(n => Row("other" + n, "Firm " + (char)('A' + (n % 26)) + n)));

        var result = Run([.. rows]);

        Assert.That(rows.Where(r => r.LedgerId.StartsWith("ooo", StringComparison.Ordinal)).Select(r => result.ClientOf(r.LedgerId)).Distinct().Count(), Is.EqualTo(1));
        Assert.That(rows.Where(r => r.LedgerId.StartsWith("ao", StringComparison.Ordinal)).Select(r => result.ClientOf(r.LedgerId)).Distinct().Count(), Is.EqualTo(1));
        Assert.That(result.ClientOf("ao1"), Is.Not.EqualTo(result.ClientOf("ooo1")));
        Assert.That(rows.Where(r => r.LedgerId.StartsWith("oao", StringComparison.Ordinal)).Select(r => result.ClientOf(r.LedgerId)).Distinct().Count(), Is.EqualTo(1));
    }

    // The same common name in one city, carried by firms of different INNs: the ledger itself shows several firms share
    // it, so rows of that name without an INN are not one firm typed many times, and none is floored into the others.
    [Test]
    public void Run_NameCarriedByFirmsOfDifferentInns_RowsWithoutInnStayApart()
    {
        var rows = new List<Counterparty>
        {
            Row("inn1", "ООО «Юпитер»") with { TaxId = "7748418813", City = "Москва" },
            Row("inn2", "ООО \"Юпитер\"") with { TaxId = "7740178045", City = "Москва" },
            Row("bare1", "Юпитер ООО") with { City = "Москва" },
            Row("bare2", "ООО Юпитер") with { City = "Москва" },
        };
        rows.AddRange(Enumerable.Range(0, 40).Select(n => Row("other" + n, "Firm " + (char)('A' + (n % 26)) + n) with { City = n % 2 == 0 ? "Москва" : "Казань" }));

        var result = Run([.. rows]);

        Assert.That(new[] { "inn1", "inn2", "bare1", "bare2" }.Select(id => result.ClientOf(id)).Distinct().Count(), Is.EqualTo(4),
            string.Join(Environment.NewLine, result.Clients.SelectMany(c => c.Links).Select(l => l.Evidence)));
    }

    [Test]
    public void Run_IdenticalNameRepeated_LinkEvidenceShowsProbabilityAndBayesFactors()
    {
        var result = Run([.. Enumerable.Range(1, 6).Select(i => Row(i.ToString(), "ACME HOLDING N.V.")), Row("x", "Borealis Trade N.V.")]);

        var link = result.Clients.Single(c => c.Members.Count() == 6).Links[0];
        Assert.That(link.Evidence, Does.Contain("probability").And.Contain("name exact ×"));
    }

    [Test]
    public void Run_AnyInput_ExposesTheLearntModelTable()
    {
        var result = Run([.. Enumerable.Range(1, 3).Select(i => Row(i.ToString(), "ACME HOLDING N.V.") with { City = "Leiden" })]);

        Assert.That(result.Model.Fields.Select(f => f.Name), Is.EqualTo(new[] { "name", "address", "city", "region", "phone", "email", "director", "birth date" }));
        Assert.That(result.Model.ToString(), Does.Contain("name       exact").And.Contain("m/u"));
    }

    // One firm's name written with "&" or "and" ("и"), with or without "The", nothing else mapped, beside firms that share
    // its other words: the naive key keeps each pair apart.
    [Test]
    public void Run_NameWrittenWithOrWithoutConjunctionOrArticle_OneClientPerFirm()
    {
        (string Firm, string Name)[] names =
        [
            ("jj", "Johnson & Johnson"), ("jj", "Johnson and Johnson"), ("jj", "JOHNSON AND JOHNSON"),
            ("pg", "Procter & Gamble Co."), ("pg", "Procter and Gamble Company"),
            ("boeing", "The Boeing Company"), ("boeing", "Boeing Co"),
            ("palm", "Palm, The"), ("palm", "The Palm"),
            ("ivanov", "Иванов и партнёры"), ("ivanov", "Иванов & Партнеры"),
            ("aj", "A & J Bakery"), ("aj", "A J Bakery"),
            ("ge", "General Electric Co"), ("gm", "General Motors Co"),
            ("a", "A Bakery"), ("jb", "J Bakery Ltd"),
        ];

        var result = Run([.. names.Select((n, i) => Row(i.ToString(), n.Name))]);

        var clients = names.Select((n, i) => (n.Firm, Client: result.ClientOf(i.ToString()))).ToList();
        Assert.That(clients.GroupBy(c => c.Firm).Select(g => g.Select(c => c.Client).Distinct().Count()), Is.All.EqualTo(1), "each firm's rows in one client");
        Assert.That(clients.Select(c => c.Client).Distinct().Count(), Is.EqualTo(names.Select(n => n.Firm).Distinct().Count()), "no two firms in one client");
    }

    [Test]
    public void Run_NamesContainedInOthersWithNothingElse_NoneMerges()
    {
        var result = Run([.. ContainmentNames.Select((name, i) => Row(i.ToString(), name))]);

        Assert.That(result.Summary.Clients, Is.EqualTo(6));
    }

    [Test]
    public void Run_SubsidiariesDifferingByCountryAndLegalForm_OneClientOfFourLegalEntities()
    {
        var result = Run([.. NordhavnNames.Select((name, i) => Row(i.ToString(), name))]);

        var client = result.Clients.Single();
        Assert.That(client.Entities, Has.Count.EqualTo(4));
        Assert.That(client.Links.Select(l => l.Rule), Is.All.EqualTo(LinkRule.GroupEvidence));
        Assert.That(client.Links.Select(l => l.Evidence), Is.All.Contain("name stem 'nordhavn drilling services'"));
        Assert.That(result.Summary.GroupsLinked, Is.EqualTo(1));
    }

    [Test]
    public void Run_AllThreeReprosTogether_EachKeepsItsOwnOutcome()
    {
        var rows = Enumerable.Range(1, 5).Select(i => Row("acme" + i, "ACME HOLDING N.V."))
            .Concat(ContainmentNames.Select((name, i) => Row("c" + i, name)))
            .Concat(NordhavnNames.Select((name, i) => Row("n" + i, name)))
            .ToArray();

        var result = Run(rows);

        Assert.That(result.Summary.Clients, Is.EqualTo(1 + 6 + 1));
    }

    [Test]
    public void Run_NeverLinkBetweenRepeatedNames_HoldsAgainstExactAgreement()
    {
        var rows = Enumerable.Range(1, 5).Select(i => Row(i.ToString(), "ACME HOLDING N.V.")).ToArray();

        var result = UnificationEngine.Run(new UnificationRequest
        {
            Counterparties = rows,
            Decisions = [new NeverLinkDecision(Key("1"), Key("2"))],
        });

        Assert.That(result.ClientOf("1"), Is.Not.EqualTo(result.ClientOf("2")));
    }

    [Test]
    public void Run_NeverLinkBetweenSubsidiaries_HoldsAgainstTheNameStem()
    {
        var result = UnificationEngine.Run(new UnificationRequest
        {
            Counterparties = [.. NordhavnNames.Select((name, i) => Row(i.ToString(), name))],
            Decisions = [new NeverLinkDecision(Key("0"), Key("1"))],
        });

        Assert.That(result.ClientOf("0"), Is.Not.EqualTo(result.ClientOf("1")));
    }

    [Test]
    public void Run_NeverLinkAgainstContainedNameWithAgreeingAddress_Holds()
    {
        var result = UnificationEngine.Run(new UnificationRequest
        {
            Counterparties =
            [
                Row("1", "Northern Bikes and Gears") with { Address = "12 Harbour Road", City = "Bergen", Phone = "+47 5512 3456" },
                Row("2", "Northern Bikes & Gears AS") with { Address = "12 Harbour Rd", City = "Bergen", Phone = "+47 5512 3456" },
            ],
            Decisions = [new NeverLinkDecision(Key("1"), Key("2"))],
        });

        Assert.That(result.ClientOf("1"), Is.Not.EqualTo(result.ClientOf("2")));
    }
}

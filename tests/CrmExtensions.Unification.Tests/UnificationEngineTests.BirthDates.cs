namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    [Test]
    public void Run_PrivateClientsWithBirthDates_OneWhereTheDateAgreesNamesakesApart()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "ivanov", "Иванов Иван Петрович") { City = "Тверь", Birthday = new DateOnly(1980, 5, 12) },
            new Counterparty("main", "ivanov again", "Иванов Иван Петрович") { City = "Тверь", Birthday = new DateOnly(1980, 5, 12) },
            new Counterparty("main", "ivanov typed", "Ивнов Иван Петрович") { Birthday = new DateOnly(1980, 5, 12) },
            new Counterparty("main", "ivanov no date", "Иванов Иван Петрович") { City = "Тверь" },
            new Counterparty("main", "namesake", "Иванов Иван Петрович") { City = "Тверь", Birthday = new DateOnly(1975, 11, 3) },
            new Counterparty("main", "petrova", "Петрова Мария Сергеевна") { City = "Тверь", Birthday = new DateOnly(1990, 1, 2) },
            new Counterparty("main", "petrova typed", "Птерова Мрия Серегевна") { City = "Тверь", Birthday = new DateOnly(1990, 1, 2) });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.Multiple(() =>
        {
            Assert.That(result.ClientOf("ivanov again"), Is.EqualTo(result.ClientOf("ivanov")));
            Assert.That(result.ClientOf("ivanov typed"), Is.EqualTo(result.ClientOf("ivanov")), "a typo in the name, the same birth date");
            Assert.That(result.ClientOf("namesake"), Is.Not.EqualTo(result.ClientOf("ivanov")), "one name, another birth date: another person");
            Assert.That(result.ClientOf("petrova typed"), Is.EqualTo(result.ClientOf("petrova")), "every word typed wrong: met by the birth date");
        });
        var link = result.FindClient(result.ClientOf("ivanov typed"))!.Links.First(l => l.From.LedgerId == "ivanov typed" || l.To.LedgerId == "ivanov typed");
        Assert.That(link.Evidence, Does.Contain("birth date same"));
    }

    [Test]
    public void Run_BirthDates_ShownInTheLearntModelTable()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "a", "Сидоров Олег") { Birthday = new DateOnly(1970, 2, 3) },
            new Counterparty("main", "b", "Сидоров Олег") { Birthday = new DateOnly(1970, 2, 3) });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        var birth = result.Model.Fields.Single(f => f.Name == "birth date");
        Assert.That(birth.Levels.Select(l => l.Name), Is.EqualTo(new[] { "same", "near", "different" }));
        Assert.That(result.ClientOf("b"), Is.EqualTo(result.ClientOf("a")));
    }

    [Test]
    public void Run_PlaceholderBirthDateMostCarry_CorroboratesNothing()
    {
        // A ledger that writes "1900-01-01" for every birthday it does not know, as many write an empty date.
        var placeholder = new DateOnly(1900, 1, 1);
        var people = Enumerable.Range(0, 60).Select(i => new Counterparty("main", "p" + i, $"Person{i} Surname{i * 7 % 60}x") { Birthday = placeholder });
        var rows = WithOtherFirms([
            .. people,
            new Counterparty("main", "short", "Кузнецова Анна") { Birthday = placeholder },
            new Counterparty("main", "long", "Кузнецова Анна Игоревна Бюро") { Birthday = placeholder }]);

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.That(result.ClientOf("long"), Is.Not.EqualTo(result.ClientOf("short")), "a contained name, and a date most rows carry");
        var birth = result.Model.Fields.Single(f => f.Name == "birth date").Levels[0];
        Assert.That(birth.M / birth.U, Is.LessThan(10), "the model learnt that agreeing on it says little");
    }
}

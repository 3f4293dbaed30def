using CrmExtensions.Unification.Identifiers;
using static CrmExtensions.Unification.Tests.Builders;

namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    private const string SberInn = "7707083893";
    private const string YandexInn = "7736207543";

    [Test]
    public void Run_SameInnWithBranchKpp_OneEntityWithHeadAndBranch()
    {
        var result = Run(
            Row("1", "ПАО Сбербанк") with { TaxId = SberInn, BranchCode = "773601001", City = "Москва" },
            Row("2", "Сбербанк, Казанский филиал") with { TaxId = SberInn, BranchCode = "165502001", City = "Казань", Region = "Татарстан" },
            Row("3", "Sberbank PJSC", "export") with { TaxId = SberInn + " " });

        var client = result.Clients.Single();
        var entity = client.Entities.Single();
        Assert.That(entity.TaxId, Is.EqualTo(SberInn));
        Assert.That(entity.Branches.Where(b => !b.IsHead).Select(b => (b.BranchCode, b.Reason, b.City, b.Region)),
            Is.EqualTo(new[] { ("165502001", KppReason.Branch, "Казань", "Татарстан") }));
        Assert.That(client.Links.Select(l => l.Rule), Is.All.EqualTo(LinkRule.SameTaxId));
        Assert.That(result.Summary.Branches, Is.EqualTo(1));
    }

    [Test]
    public void Run_SameFirmTypedThreeWaysAcrossLedgers_OneClient()
    {
        var result = Run(
            Row("1", "ООО «Ромашка»") with { TaxId = YandexInn, City = "Тверь" },
            Row("2", "Ромашка ООО") with { City = "г. Тверь" },
            Row("7", "Romaschka LLC", "north") with { City = "Tver" });

        Assert.That(result.Summary.Clients, Is.EqualTo(1));
        Assert.That(result.Clients.Single().Entities, Has.Count.EqualTo(1));
        Assert.That(result.Clients.Single().Links.Select(l => l.Rule), Has.Some.EqualTo(LinkRule.Similarity));
    }

    [Test]
    public void Run_DifferentInnsSharingCorporateDomainAndPhone_LinkedAsGroup()
    {
        var result = Run(
            Row("1", "ООО Альфа Трейд") with { TaxId = SberInn, Email = "buh@alfa-group.ru", Phone = "8 (495) 123-45-67" },
            Row("2", "АО Альфа Логистик") with { TaxId = YandexInn, Email = "info@alfa-group.ru", Phone = "+7 495 1234567" });

        var client = result.Clients.Single();
        Assert.That(client.Entities, Has.Count.EqualTo(2));
        Assert.That(client.Links.Single().Rule, Is.EqualTo(LinkRule.GroupEvidence));
        Assert.That(client.Links.Single().Evidence, Does.Contain("alfa-group.ru").And.Contain("74951234567"));
        Assert.That(result.Summary.GroupsLinked, Is.EqualTo(1));
    }

    [Test]
    public void Run_DifferentInnsSameDirectorAndDomain_LinkedAsAGroup()
    {
        var result = Run(
            Row("1", "ООО Орион") with { TaxId = SberInn, Website = "orion-holding.ru", Directors = ["Петров Пётр Петрович"] },
            Row("2", "ООО Кассиопея") with { TaxId = YandexInn, Email = "office@orion-holding.ru", Directors = ["петров петр петрович"] });

        Assert.That(result.Summary.Clients, Is.EqualTo(1));
        Assert.That(result.Clients.Single().Links.Single().Evidence, Does.Contain("director").And.Contain("orion-holding.ru"));
    }

    [Test]
    public void Run_DifferentInnsSameDirectorOnly_NotLinked()
    {
        var result = Run(
            Row("1", "ООО Орион") with { TaxId = SberInn, Directors = ["Петров Пётр Петрович", "Сидоров Иван"] },
            Row("2", "ООО Кассиопея") with { TaxId = YandexInn, Directors = ["Петров Пётр Петрович"] });

        Assert.That(result.Summary.Clients, Is.EqualTo(2));
    }

    [Test]
    public void Run_DifferentInnsSharingFreeMailDomain_NotLinked()
    {
        var result = Run(
            Row("1", "ООО Альфа") with { TaxId = SberInn, Email = "alfa@mail.ru", Website = "www.gmail.com" },
            Row("2", "ООО Бета") with { TaxId = YandexInn, Email = "beta@mail.ru", Website = "http://gmail.com/" });

        Assert.That(result.Summary.Clients, Is.EqualTo(2));
        Assert.That(result.Review, Is.Empty);
    }

    [Test]
    public void Run_PhoneSharedByManyUnrelatedNames_IgnoredAsSwitchboard()
    {
        var names = new[] { "Альфа", "Бета", "Гамма", "Дельта", "Эпсилон", "Дзета", "Эта", "Тета" };
        var rows = names.Select((n, i) => Row(i.ToString(), "ООО " + n) with { Phone = "+7 800 555-35-35" }).ToArray();

        var result = Run(rows);

        Assert.That(result.Summary.Clients, Is.EqualTo(8));
        Assert.That(result.Issues.Select(i => i.Kind), Has.Some.EqualTo(IssueKind.SharedContactIgnored));
    }

    [Test]
    public void Run_OneSwitchboardWithOtherExtensions_NotLinked()
    {
        var result = Run(
            Row("1", "ООО Альфа") with { TaxId = SberInn, Phone = "+7 (863) 926-99-27 доб. 426", Directors = ["Петров Пётр Петрович"] },
            Row("2", "ООО Бета") with { TaxId = YandexInn, Phone = "8 863 926 99 27 доб. 512", Directors = ["Петров Пётр Петрович"] });

        Assert.That(result.Summary.Clients, Is.EqualTo(2));
    }

    [Test]
    public void Run_SameWordInTwoForeignNamesInOneCity_SentToReviewNotLinked()
    {
        var result = Run(
            Row("1", "Orbit Foods, Sp. z o.o.") with { City = "Warszawa", Address = "ul. Marszałkowska 85, Warszawa" },
            Row("2", "Pioneer Foods Sp. z o.o.") with { City = "Warszawa", Address = "ul. Marszałkowska 77, Warszawa" });

        Assert.That(result.Summary.Clients, Is.EqualTo(2));
    }

    [Test]
    public void Run_NamesakesInOneCityWithOtherPhonesAndMail_NotLinked()
    {
        var result = Run(
            Row("1", "Brown & Sons AG") with { City = "Basel", Address = "Bahnhofstrasse 31, Basel", Phone = "+41 88 4706569", Email = "orders@brown-sons.ch" },
            Row("2", "Brown & Sons AG") with { City = "Basel", Address = "Bahnhofstrasse 48, Basel", Phone = "+41 75 8592325", Email = "sales@brown-sons-basel.ch" });

        // Other house number, phone and mail: the model finds them two firms (issue 15: probabilities, not caps).
        Assert.That(result.Summary.Clients, Is.EqualTo(2));
    }

    [Test]
    public void Run_SameFirmTypedTwiceSharingItsMail_Linked()
    {
        var result = Run(
            Row("1", "Brown & Sons AG") with { City = "Basel", Address = "Bahnhofstrasse 31, Basel", Phone = "+41 88 4706569", Email = "orders@brown-sons.ch" },
            Row("2", "Brown and Sons A.G.") with { City = "Basel", Phone = "+41 75 8592325", Email = "orders@brown-sons.ch" });

        Assert.That(result.Summary.Clients, Is.EqualTo(1));
    }

    [Test]
    public void Run_SameCommonNameInDifferentCities_NotLinked()
    {
        var result = Run(
            Row("1", "ООО Стройсервис") with { City = "Москва", Address = "ул. Ленина, 1" },
            Row("2", "ООО Стройсервис") with { City = "Новосибирск", Address = "Красный проспект, 40" },
            Row("3", "Стройсервис") with { City = "Казань" });

        Assert.That(result.Summary.Clients, Is.EqualTo(3));
    }

    [Test]
    public void Run_ParentColumnAcrossDifferentInns_LinksGroup()
    {
        var result = Run(
            Row("10", "Холдинг Север") with { TaxId = SberInn },
            Row("11", "Север Транс") with { TaxId = YandexInn, ParentLedgerId = "10" },
            Row("12", "Север, склад") with { ParentLedgerId = "10", City = "Мурманск" });

        var client = result.Clients.Single();
        Assert.That(client.Entities, Has.Count.EqualTo(2));
        Assert.That(client.Links.Select(l => l.Rule), Is.EquivalentTo(new[] { LinkRule.GroupParentColumn, LinkRule.ParentColumn }));
        Assert.That(client.Entities.Single(e => e.TaxId == SberInn).Branches.Single(b => !b.IsHead).City, Is.EqualTo("Мурманск"));
    }

    [Test]
    public void Run_NearIdenticalNamesSameRegionSharedPhone_SentToReview()
    {
        var result = Run(
            Row("1", "ООО Вектор-Плюс") with { TaxId = SberInn, Region = "Самарская обл", Phone = "8462000001" },
            Row("2", "ООО Вектор Плюс") with { TaxId = YandexInn, Region = "Самарская обл", Phone = "8462000001" });

        Assert.That(result.Summary.Clients, Is.EqualTo(2));
        var pair = result.Review.Single();
        Assert.That(pair.Score, Is.InRange(0.6, 0.8));
        Assert.That(pair.FirstClientId, Is.Not.EqualTo(pair.SecondClientId));
        Assert.That(result.ReviewFor(pair.FirstClientId), Has.Count.EqualTo(1));
    }

    [Test]
    public void Run_SameInvalidInnDifferentNames_NotLinkedAndFlagged()
    {
        var result = Run(
            Row("1", "ООО Альфа") with { TaxId = "7707083894" },
            Row("2", "ООО Бета") with { TaxId = "7707083894" });

        Assert.That(result.Summary.Clients, Is.EqualTo(2));
        Assert.That(result.Summary.InvalidIdentifiers, Is.EqualTo(2));
        Assert.That(result.Clients[0].Issues.Single().Kind, Is.EqualTo(IssueKind.InvalidTaxId));
        Assert.That(result.Clients[0].Entities.Single().TaxIdKind, Is.EqualTo(InnKind.Invalid));
    }

    [Test]
    public void Run_SameOgrnWithoutInn_OneEntity()
    {
        var result = Run(
            Row("1", "Яндекс") with { RegistrationNumber = "1027700229193" },
            Row("2", "Совсем другое имя") with { RegistrationNumber = "1027700229193" });

        Assert.That(result.Clients.Single().Links.Single().Rule, Is.EqualTo(LinkRule.SameRegistrationNumber));
    }

    [Test]
    public void Run_Summary_CountsEachLevel()
    {
        var result = Run(
            Row("1", "ПАО Сбербанк") with { TaxId = SberInn, BranchCode = "773601001" },
            Row("2", "Сбербанк Казань") with { TaxId = SberInn, BranchCode = "165502001" },
            Row("3", "Яндекс") with { TaxId = YandexInn, Email = "a@sber-group.ru", Phone = "4950000001" },
            Row("4", "Сбер Лизинг") with { TaxId = "500123456750", Email = "b@sber-group.ru", Phone = "4950000001" },
            Row("5", "Нечто") with { TaxId = "12" });

        var s = result.Summary;
        Assert.That((s.LedgerEntities, s.LegalEntities, s.Clients, s.Branches, s.GroupsLinked, s.InvalidIdentifiers),
            Is.EqualTo((5, 4, 3, 1, 1, 1)));
    }

    [Test]
    public void Run_Explain_EveryMultiMemberClientHasLinksSpanningIt()
    {
        var result = Run(
            Row("1", "ООО Ромашка") with { TaxId = SberInn, City = "Тверь" },
            Row("2", "Ромашка") with { City = "Тверь" },
            Row("3", "Ромашка") with { TaxId = SberInn, BranchCode = "690102001" });

        var client = result.Clients.Single();
        Assert.That(client.Links, Has.Count.EqualTo(client.Members.Count() - 1));
        Assert.That(client.Links.Select(l => l.Evidence), Has.All.Not.Empty);
    }
}

using System.Globalization;

namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    [Test]
    public void Run_SoleProprietorWithInitialsAndInFull_OneClientOnlyWhereAContactAgrees()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "initials", "ИП Петров А.В.") { City = "Тверь", Phone = "+7 910 123-45-67" },
            new Counterparty("main", "full", "Индивидуальный предприниматель Петров Алексей Владимирович") { City = "Тверь", Phone = "8 (910) 123 45 67" },
            new Counterparty("main", "spaced", "ИП Петров А. В.") { City = "Тверь" },
            new Counterparty("main", "namesake", "ИП Петров Андрей Викторович") { City = "Тверь", Phone = "+7 920 555-11-22" },
            new Counterparty("main", "city only", "Петров Андрей Викторович ИП") { City = "Тверь" },
            new Counterparty("main", "farm", "Глава КФХ Сидоров Б.Г.") { City = "Торжок", Email = "sidorov.farm@yandex.ru" },
            new Counterparty("main", "farm in full", "КФХ Сидоров Борис Геннадьевич") { City = "Торжок", Email = "sidorov.farm@yandex.ru" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        // Initials written with and without spaces are one name; initials and the full name one person where the phone agrees.
        Assert.That(result.ClientOf("spaced"), Is.EqualTo(result.ClientOf("initials")));
        Assert.That(result.ClientOf("full"), Is.EqualTo(result.ClientOf("initials")));
        Assert.That(result.ClientOf("farm in full"), Is.EqualTo(result.ClientOf("farm")));
        var link = result.FindClient(result.ClientOf("full"))!.Links.Single(l => l.From.LedgerId is "initials" or "full" && l.To.LedgerId is "initials" or "full");
        Assert.That(link.Evidence, Does.Contain("name contained").And.Contain("phone same"));
        // The same initials fit Андрей Викторович too: with another phone, or with only the city agreeing, he stays apart.
        Assert.That(result.ClientOf("namesake"), Is.Not.EqualTo(result.ClientOf("initials")));
        Assert.That(result.ClientOf("city only"), Is.EqualTo(result.ClientOf("namesake")), "his own two rows: one name, one city");
    }

    [Test]
    public void Run_FirmNamedByLetters_IsNoPersonsInitials()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "letters", "ООО «АВ Групп»") { City = "Тверь", Phone = "+7 910 123-45-67" },
            new Counterparty("main", "words", "ООО «Альфа Восток Групп»") { City = "Тверь", Phone = "+7 910 123-45-67" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });
        var pair = result.Clients.SelectMany(c => c.Links).Concat<object>(result.Review)
            .Select(x => x is Link l ? l.Evidence : ((ReviewPair)x).Evidence).Where(e => e.Contains("Альфа Восток", StringComparison.Ordinal));

        Assert.That(pair, Has.None.Contains("name contained"), "two letters of a firm's name are not a person's initials");
    }

    [Test]
    public void Run_NameTypedWithLettersOfTheOtherAlphabet_OneClient()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "cyrillic", "ООО «Ромашка»") { City = "Тверь", Address = "ул. Лесная, д. 3" },
            new Counterparty("main", "latin P", "ООО «Pомашка»") { City = "Тверь" },
            new Counterparty("main", "latin a and e", "OOO «Ромашкa» филиал") { City = "Тверь", Address = "ул. Лecная, д. 3" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.That(new[] { result.ClientOf("latin P"), result.ClientOf("latin a and e") }, Is.All.EqualTo(result.ClientOf("cyrillic")));
    }

    [Test]
    public void Run_NameWithWordsSplitOrJoined_OneClientByTheNameAlone()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "hyphen", "Wal-Mart Stores Inc"),
            new Counterparty("main", "joined", "Walmart Stores, Inc."),
            new Counterparty("main", "split", "Exxon Mobil Corp"),
            new Counterparty("main", "one word", "ExxonMobil Corporation"),
            new Counterparty("main", "строй инвест", "ООО «Строй Инвест»"),
            new Counterparty("main", "стройинвест", "Стройинвест ООО"),
            new Counterparty("main", "вектор 1", "ООО «Вектор-1»"),
            new Counterparty("main", "вектор1", "ООО Вектор1"),
            new Counterparty("main", "вектор 2", "ООО «Вектор-2»"),
            new Counterparty("main", "mc donalds", "Mc Donalds Corporation"),
            new Counterparty("main", "mcdonald's", "McDonald's Corp"),
            new Counterparty("main", "jp morgan", "JP Morgan Chase and Co"),
            new Counterparty("main", "jpmorgan", "JPMorgan Chase & Co."));

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.That(result.ClientOf("joined"), Is.EqualTo(result.ClientOf("hyphen")));
        Assert.That(result.ClientOf("one word"), Is.EqualTo(result.ClientOf("split")));
        Assert.That(result.ClientOf("стройинвест"), Is.EqualTo(result.ClientOf("строй инвест")));
        Assert.That(result.ClientOf("вектор1"), Is.EqualTo(result.ClientOf("вектор 1")));
        Assert.That(result.ClientOf("вектор 2"), Is.Not.EqualTo(result.ClientOf("вектор 1")));
        Assert.That(result.ClientOf("mcdonald's"), Is.EqualTo(result.ClientOf("mc donalds")), "two letters before a word join it");
        Assert.That(result.ClientOf("jpmorgan"), Is.EqualTo(result.ClientOf("jp morgan")));
        var link = result.FindClient(result.ClientOf("one word"))!.Links.Single();
        Assert.That(link.Evidence, Does.Contain("name exact"));
    }

    [Test]
    public void Run_WordsWrittenShortOrRunTogetherWithinAName_OneClient()
    {
        // Cut short ("Comm", folded "kom"), written without their vowels ("Mgmt", "Svcs") or two words run together
        // inside a longer name ("Daycare" / "Day Care") were words of each side's own, as two firms sharing a word have:
        // read as the same words, the names are near (one firm in one city) or one inside the other at one address.
        var rows = WithOtherFirms(
            new Counterparty("main", "comm ctr", "Albany Park Comm Ctr") { City = "Chicago" },
            new Counterparty("main", "community center", "Albany Park Community Center") { City = "Chicago" },
            new Counterparty("main", "mgmt svcs", "Lakeview Property Mgmt Svcs LLC") { City = "Chicago" },
            new Counterparty("main", "management services", "Lakeview Property Management Services") { City = "Chicago" },
            new Counterparty("main", "daycare", "Granny's Daycare Center") { Address = "645 W. 127th St.", Phone = "+1 773 848 5827" },
            new Counterparty("main", "day care", "Henry Booth House Granny's Day Care Center") { Address = "645 W 127TH St", Phone = "+1 773 264 4800" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        var review = string.Join("; ", result.Review.Select(r => r.Evidence));
        Assert.That(result.ClientOf("community center"), Is.EqualTo(result.ClientOf("comm ctr")), review);
        Assert.That(result.ClientOf("management services"), Is.EqualTo(result.ClientOf("mgmt svcs")), review);
        Assert.That(result.ClientOf("day care"), Is.EqualTo(result.ClientOf("daycare")), review);
    }

    [Test]
    public void Run_NameOfOneWordMistyped_MeetsAndJoinsTheWordItIsATypoOf()
    {
        // A word carried by one row is no blocking key: "Microsft Corp", a name of one word typed once, met no row at all.
        // A ledger of names alone, as many company lists are: firms written two ways, beside firms sharing their words.
        var rows = NamesOnly(
            "Microsoft Corporation", "Microsft Corp", "Northwind Inc.", "Northwnid LLC", "Procter & Gamble Co",
            "Procter and Gamble Company", "The Coca-Cola Company", "Coca Cola Co", "Deutsche Bank AG",
            "Deutsche Bank Aktiengesellschaft", "Toyota Motor Corporation", "Toyota Motor Corp.", "ООО «Рога и Копыта»",
            "Рога и копыта ООО", "Siemens AG", "Siemens Aktiengesellschaft", "Kimberly-Clark Corp",
            "Kimberly Clark Corporation", "Carrefour", "CARREFOUR S.A.", "Acme Mfg Co", "Acme Manufacturing Company",
            "Northwest Natl Bank", "Northwest National Bank", "Johnson & Johnson", "General Motors", "General Mills",
            "Morgan Stanley", "Deutsche Telekom AG", "Toyota Tsusho Corp", "Газпром ПАО", "Siemens Energy AG",
            "Acme Markets", "Northwest Bank", "Bank of America", "American Express", "Chin's", "Chin's", "Madame Ching's");

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });
        long Client(string name) => result.ClientOf(rows.First(r => r.Name == name).LedgerId);

        Assert.That(Client("Microsft Corp"), Is.EqualTo(Client("Microsoft Corporation")));
        Assert.That(Client("Northwnid LLC"), Is.EqualTo(Client("Northwind Inc.")));
        Assert.That(Client("Siemens Energy AG"), Is.Not.EqualTo(Client("Siemens AG")));
        // A name of several words, each typed once, is not brought to its look-alikes: "Madame Ching's" met "Chin's"
        // (at a house number one keystroke off, two near matches that made one client of two restaurants).
        Assert.That(Client("Madame Ching's"), Is.Not.EqualTo(Client("Chin's")));
    }

    [Test]
    public void Run_UmlautWrittenOutOrWordInThePlural_OneNameOrNear()
    {
        // "Mueller" is how "Müller" is typed without the letter, "Muller" how it is typed without its dots; "Holdings"
        // and "Holding" are one word (it scored as a word cut short, "Assoc" / "Association", and the names went apart).
        var rows = NamesOnly(
            "Müller Logistik GmbH", "Mueller Logistik GmbH", "Muller Logistik GmbH", "Müller Bau GmbH", "Kühne + Nagel",
            "Kuehne+Nagel", "Kuehne Logistics", "Brightwater Holdings Ltd", "Brightwater Holding Limited",
            "Brightwater Energy Ltd", "Microsoft Corporation", "Microsft Corp", "Procter & Gamble Co",
            "Procter and Gamble Company", "Deutsche Bank AG", "Deutsche Bank Aktiengesellschaft", "Deutsche Telekom AG",
            "General Motors", "General Mills", "Acme Markets", "Bank of America", "American Express", "Газпром ПАО",
            "ООО «Новое время»", "OOO Novoye Vremya");

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });
        string Row(string name) => rows.First(r => r.Name == name).LedgerId;
        long Client(string name) => result.ClientOf(Row(name));

        Assert.That(new[] { Client("Mueller Logistik GmbH"), Client("Muller Logistik GmbH") }, Is.All.EqualTo(Client("Müller Logistik GmbH")));
        Assert.That(Client("Kuehne+Nagel"), Is.EqualTo(Client("Kühne + Nagel")));
        Assert.That(Client("Müller Bau GmbH"), Is.Not.EqualTo(Client("Müller Logistik GmbH")));
        Assert.That(Client("Kuehne Logistics"), Is.Not.EqualTo(Client("Kühne + Nagel")));
        Assert.That(Client("OOO Novoye Vremya"), Is.EqualTo(Client("ООО «Новое время»")), "a glide before the e, then the e after a vowel");
        // The plural's pair is near: linked, or (the ledger having nothing but names) at least put to a person.
        var (holdings, holding) = (Row("Brightwater Holdings Ltd"), Row("Brightwater Holding Limited"));
        var reviewed = result.Review.Any(r => new[] { r.First.LedgerId, r.Second.LedgerId }.Order().SequenceEqual(new[] { holdings, holding }.Order()));
        Assert.That(result.ClientOf(holding) == result.ClientOf(holdings) || reviewed, Is.True,
            string.Join("; ", result.Review.Select(r => r.Evidence)));
        Assert.That(Client("Brightwater Energy Ltd"), Is.Not.EqualTo(Client("Brightwater Holdings Ltd")));
    }

    [Test]
    public void Run_AnotherNameWrittenAfterTheFirmsOwn_ComparesTheFirmsOwn()
    {
        // "t/a", "c/o", "(formerly …)": what follows is a trading name, a person, a former name — not the firm's own, and
        // its words made the names two firms sharing a word, or a firm of John Smith's.
        var rows = NamesOnly(
            "Harbor Supplies Ltd t/a Harbor Marine", "Harbor Supplies Limited", "Harbor Freight Tools",
            "Crescent Media Corporation c/o John Smith", "Crescent Media Corp", "John Smith Ltd", "Crescent Bakery",
            "Orchid Labs Inc. (formerly Petal Labs Inc.)", "Orchid Labs Inc", "Orchid Hotel", "Microsoft Corporation",
            "Procter & Gamble Co", "Procter and Gamble Company", "General Motors", "General Mills", "Bank of America");

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });
        long Client(string name) => result.ClientOf(rows.First(r => r.Name == name).LedgerId);

        Assert.That(Client("Harbor Supplies Ltd t/a Harbor Marine"), Is.EqualTo(Client("Harbor Supplies Limited")));
        Assert.That(Client("Crescent Media Corporation c/o John Smith"), Is.EqualTo(Client("Crescent Media Corp")));
        Assert.That(Client("Orchid Labs Inc. (formerly Petal Labs Inc.)"), Is.EqualTo(Client("Orchid Labs Inc")));
        Assert.That(Client("John Smith Ltd"), Is.Not.EqualTo(Client("Crescent Media Corp")));
    }

    [Test]
    public void Run_AcronymAndTheWordsItAbbreviates_MeetAndLinkWhereAnAddressAgrees()
    {
        // "IBM" and "International Business Machines" share no word: no block met them. As a contained name, the acronym
        // is never enough alone; with an address that agrees it is one firm.
        var rows = WithOtherFirms(
            new Counterparty("main", "ibm", "IBM Corp") { Address = "1 New Orchard Road, Armonk", City = "Armonk" },
            new Counterparty("main", "ibm full", "International Business Machines Corp") { Address = "1 New Orchard Rd, Armonk", City = "Armonk" },
            new Counterparty("main", "ржд", "ОАО «РЖД»"),
            new Counterparty("main", "ржд full", "ОАО «Российские железные дороги»"),
            new Counterparty("main", "ibs", "IBS Group") { Address = "10 Main Street, Boston", City = "Boston" },
            new Counterparty("main", "ibm other", "Indiana Bell Metals") { Address = "5 Elm Street, Gary", City = "Gary" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        var review = string.Join("; ", result.Review.Select(r => r.Evidence));
        Assert.That(result.ClientOf("ibm full"), Is.EqualTo(result.ClientOf("ibm")), review);
        Assert.That(result.ClientOf("ibm other"), Is.Not.EqualTo(result.ClientOf("ibm")), "another firm of those initials, elsewhere");
        Assert.That(result.ClientOf("ржд full"), Is.Not.EqualTo(result.ClientOf("ржд")), "by the name alone: never linked");
    }

    private static List<Counterparty> NamesOnly(params string[] names) =>
        [.. names.Select((n, k) => new Counterparty("main", "n" + k.ToString(CultureInfo.InvariantCulture), n))];

    [Test]
    public void Run_FirmsOfOneCommonWordAndAFormOfSeveralWords_AreNoGroup()
    {
        // "Sp. z o.o." written with its dots is the form, not three words of a stem "trading sp z oo" that "Global" and
        // "Baltic", region words both, would make a group of.
        var rows = WithOtherFirms(
            new Counterparty("main", "global", "Global Trading Sp. z o.o.") { City = "Warszawa", Phone = "+48 22 111 22 33" },
            new Counterparty("main", "baltic", "Baltic Trading Sp. z o.o.") { City = "Gdańsk", Phone = "+48 58 444 55 66" },
            new Counterparty("main", "nordic", "Nordic Trading Sp.z o.o.") { City = "Szczecin", Phone = "+48 91 777 88 99" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.That(new[] { result.ClientOf("global"), result.ClientOf("baltic"), result.ClientOf("nordic") }, Is.Unique);
    }

    [Test]
    public void Run_CommonWordAndLettersOfAnUnlistedForm_AreNoStem()
    {
        // "S.C." (a Polish civil partnership) is no listed form: its letters are not what makes "trading", a word twenty
        // firms carry, a stem of one firm's.
        var rows = WithOtherFirms(
            new Counterparty("main", "global", "Global Trading S.C.") { City = "Warszawa", Phone = "+48 22 111 22 33" },
            new Counterparty("main", "baltic", "Baltic Trading S.C.") { City = "Gdańsk", Phone = "+48 58 444 55 66" });
        rows.AddRange(Enumerable.Range(0, 20).Select(i => new Counterparty("main", "t" + i.ToString(CultureInfo.InvariantCulture), $"Firma{i} Trading")
        {
            City = "Kraków",
            Phone = $"+48 12 {100_000 + i}",
        }));

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.That(result.ClientOf("baltic"), Is.Not.EqualTo(result.ClientOf("global")));
    }

    [Test]
    public void Run_InitialsThatJoinIntoAnotherName_AreNotOneName()
    {
        // "Петров А.В." and "Петрова В." are one string of letters once their words are joined, and two people.
        var rows = WithOtherFirms(
            new Counterparty("main", "petrov", "ИП Петров А.В.") { City = "Тверь" },
            new Counterparty("main", "petrova", "ИП Петрова В.") { City = "Тверь" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.That(result.ClientOf("petrova"), Is.Not.EqualTo(result.ClientOf("petrov")));
    }

    /// <summary>The rows among two hundred firms of their own, each with an address and a phone, so that the model has
    /// a ledger to learn from.</summary>
    [Test]
    public void Run_RowMarkedDuplicateByTheLedgersUsers_JoinsTheFirmAndIsNotItsName()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "marked", "ООО «Ромашка» (дубль)"),
            new Counterparty("main", "plain", "Ромашка ООО"),
            new Counterparty("main", "unused", "ООО «Ромашка» (НЕ ИСПОЛЬЗОВАТЬ!)"),
            new Counterparty("main", "other", "ООО «Ромашка Плюс»"));

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.Multiple(() =>
        {
            Assert.That(result.ClientOf("plain"), Is.EqualTo(result.ClientOf("marked")));
            Assert.That(result.ClientOf("unused"), Is.EqualTo(result.ClientOf("marked")));
            Assert.That(result.ClientOf("other"), Is.Not.EqualTo(result.ClientOf("marked")));
            Assert.That(result.FindClient(result.ClientOf("marked"))!.DisplayName, Is.EqualTo("Ромашка ООО"), "named by the row nobody marked");
        });
    }

    [Test]
    public void Run_InnWrittenIntoTheName_IsTheRowsInn()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "named", "ООО «Ромашка» (ИНН 7707083893)"),
            new Counterparty("main", "column", "Ромашка-Центр") { TaxId = "7707083893", City = "Москва" },
            new Counterparty("main", "namesake", "ООО «Ромашка»") { TaxId = "7736050003" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.Multiple(() =>
        {
            Assert.That(result.ClientOf("column"), Is.EqualTo(result.ClientOf("named")), "one INN, whether in its column or the name");
            Assert.That(result.ClientOf("namesake"), Is.Not.EqualTo(result.ClientOf("named")), "one name, another INN");
            Assert.That(result.FindClient(result.ClientOf("named"))!.Entities.Single().TaxId, Is.EqualTo("7707083893"));
        });
    }

    [Test]
    public void Run_CityWrittenIntoTheNameOfARowWithoutOne_IsThatPlace()
    {
        var rows = WithOtherFirms(
            new Counterparty("main", "london", "Zenith Tools Corp (London)"),
            new Counterparty("main", "plain", "Zenith Tools Corp") { City = "London" },
            new Counterparty("main", "paris", "Zenith Tools Corp (Paris)"),
            new Counterparty("main", "kazan", "ООО «Ромашка» (Казань)"),
            new Counterparty("main", "romashka", "ООО «Ромашка»") { City = "Казань" },
            new Counterparty("main", "vektor kazan", "ООО «Вектор» (Казань)"),
            new Counterparty("main", "vektor", "ООО «Вектор»") { City = "Самара" });

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        Assert.Multiple(() =>
        {
            Assert.That(result.ClientOf("london"), Is.EqualTo(result.ClientOf("plain")));
            Assert.That(result.ClientOf("kazan"), Is.EqualTo(result.ClientOf("romashka")));
            Assert.That(result.ClientOf("paris"), Is.Not.EqualTo(result.ClientOf("plain")), "another place in the name");
            Assert.That(result.ClientOf("vektor kazan"), Is.Not.EqualTo(result.ClientOf("vektor")), "the place in the name is not the other's city");
        });
        var link = result.FindClient(result.ClientOf("kazan"))!.Links.Single();
        Assert.That(link.Evidence, Does.Contain("name exact").And.Contain("city same").And.Contain("(written in the name)"));
    }

    private static List<Counterparty> WithOtherFirms(params Counterparty[] rows)
    {
        var all = rows.ToList();
        for (var i = 0; i < 200; i++)
        {
            all.Add(new Counterparty("main", "f" + i.ToString(CultureInfo.InvariantCulture), $"ООО «Фирма {i} {(char)('А' + (i % 30))}{i * 7 % 13}»")
            {
                City = i % 2 == 0 ? "Москва" : "Тверь",
                Address = $"ул. Садовая, д. {i}",
                Phone = $"+7 495 {1_000_000 + (i * 7919 % 9_000_000)}",
            });
        }

        return all;
    }
}

using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Tests.Names;

public sealed class NameNormalizerTests
{
    [TestCase("ООО \"Ромашка\"", "romashka", "ООО")]
    [TestCase("ООО «Ромашка»", "romashka", "ООО")]
    [TestCase("Общество с ограниченной ответственностью „Ромашка“", "romashka", "ООО")]
    [TestCase("«Ромашка», ООО", "romashka", "ООО")]
    [TestCase("ооо ‘Ромашка’", "romashka", "ООО")]
    [TestCase("Romashka LLC", "romashka", "LLC")]
    [TestCase("Romashka, L.L.C.", "romashka", "LLC")]
    [TestCase("OOO Romaschka", "romashka", "ООО")]
    [TestCase("ПАО Сбербанк", "sberbank", "ПАО")]
    [TestCase("Публичное акционерное общество \"Сбербанк России\"", "sberbank rosi", "ПАО")]
    [TestCase("Sberbank of Russia PJSC", "sberbank of rusia", "ПАО")]
    [TestCase("ЗАО «Цветмет-Юг»", "zvetmet ug", "ЗАО")]
    [TestCase("Tsvetmet-Yug ZAO", "zvetmet ug", "ЗАО")]
    [TestCase("АО Яндекс", "andeks", "АО")]
    [TestCase("YANDEX LLC", "andeks", "LLC")]
    [TestCase("Philips B.V.", "filips", "B.V.")]
    [TestCase("Philips BV", "filips", "B.V.")]
    [TestCase("Siemens AG", "siemens", "AG")]
    [TestCase("Bosch GmbH", "bosh", "GmbH")]
    [TestCase("Heineken N.V.", "heineken", "N.V.")]
    [TestCase("Acme Corp.", "akme", "Corp")]
    [TestCase("Acme, Inc.", "akme", "Inc")]
    [TestCase("Acme Ltd", "akme", "Ltd")]
    [TestCase("ИП Иванов Иван Иванович", "ivanov ivan ivanovich", "ИП")]
    [TestCase("Индивидуальный предприниматель Иванов И.И.", "ivanov i", "ИП")]
    [TestCase("ФГУП \"Почта России\"", "pochta rosi", "ФГУП")]
    [TestCase("Хлебозавод №1", "hlebozavod 1", null)]
    [TestCase("OОО «Ромашка»", "romashka", "ООО")]

    // Initials that spell a form stay in a person's name; forms written in letters are still forms.
    [TestCase("ИП Петров А.О.", "petrov ao", "ИП")]
    [TestCase("Петров А. О. ИП", "petrov ao", "ИП")]
    [TestCase("КФХ Осипов С.А.", "osipov sa", "КФХ")]
    [TestCase("Глава КФХ Сидоров Б.Г.", "sidorov bg", "КФХ")]
    [TestCase("ИП глава крестьянского (фермерского) хозяйства Сидоров Борис Геннадьевич", "sidorov boris genadevich", "ИП")]
    [TestCase("Novak Sp. z o o", "novak", "Sp. z o.o.")]
    [TestCase("Global Trading Sp. z o.o.", "global trading", "Sp. z o.o.")]
    [TestCase("Global Trading Sp.z o.o.", "global trading", "Sp. z o.o.")]
    [TestCase("Dupont S.à r.l.", "dupont", "SARL")]
    [TestCase("Tamm OÜ", "tam", "OÜ")]
    [TestCase("Novák spol. s r.o.", "novak", "s.r.o.")]
    [TestCase("PT Bank Mandiri (Persero) Tbk", "bank mandiri persero", "PT")]
    [TestCase("Gulf Trading LLC-FZ", "gulf trading", "LLC")]
    [TestCase("Volvo AB (publ)", "volvo", "AB")]
    [TestCase("Weber UG (haftungsbeschränkt)", "veber", "UG")]
    [TestCase("Dvorak s r o", "dvorak", "s.r.o.")]
    public void Normalize_RealLookingName_StripsAndKeepsLegalForm(string name, string key, string? form)
    {
        var n = NameNormalizer.Normalize(name);
        Assert.That((n.Key, n.LegalForm), Is.EqualTo((key, form)));
    }

    [TestCase("ИП Петров А.В.", "ИП Петров А. В.", "Петров А В ИП", "ИП ПЕТРОВ А.В")]
    [TestCase("A.B.C. Supply", "A B C Supply", "ABC Supply", "A. B. C. Supply")]
    [TestCase("ИП Петров А.В.", "ИП Петров A.B.", "Петров A. B. ИП", "ИП Петров А В")]
    [TestCase("Smith J.A.", "Smith J.А.", "Smith J A", "Smith J. A.")]
    public void Normalize_InitialsWrittenAnyWay_AreOneWord(string first, string second, string third, string fourth)
    {
        var keys = new[] { first, second, third, fourth }.Select(n => NameNormalizer.Normalize(n).Key).ToList();

        Assert.That(keys.Distinct(), Is.EqualTo(new[] { keys[0] }), string.Join(" | ", keys));
        Assert.That(keys[0].Split(' '), Has.Length.EqualTo(2));
    }

    // Two letters before a word are a particle or the name's own letters and join it; initials after a surname never do.
    [TestCase("Mc Donald's Corporation", "McDonald's Corp", true)]
    [TestCase("De Beers Group", "DeBeers Group", true)]
    [TestCase("JP Morgan Chase", "JPMorgan Chase", true)]
    [TestCase("ИП Петров А.В.", "ИП Петрова В.", false)]
    [TestCase("Smith J. A.", "Smithj A.", false)]
    public void Normalize_ShortWordBeforeAWord_JoinsIt(string first, string second, bool joined)
    {
        var (a, b) = (NameNormalizer.Normalize(first), NameNormalizer.Normalize(second));

        Assert.That(a.Joined is not null && (a.Joined == b.Joined || a.Joined == b.Key), Is.EqualTo(joined), $"{a.Joined} | {b.Joined} | {b.Key}");
    }

    [TestCase("Торговый дом «Вектор»", "ТД «Вектор»", "ТОРГОВЫЙ ДОМ \"ВЕКТОР\"", "Torgovyy Dom Vektor")]
    [TestCase("ООО «Научно-производственное предприятие «Квант»", "ООО НПП Квант", "НПП «Квант», ООО", "нпп квант")]
    [TestCase("Производственно-коммерческая фирма Орион", "ПКФ «Орион»", "ПКФ Орион", "пкф \"орион\"")]
    public void Normalize_DescriptorWrittenOutOrAsInitials_OneName(string first, string second, string third, string fourth)
    {
        var keys = new[] { first, second, third, fourth }.Select(n => NameNormalizer.Normalize(n).Key).ToList();

        Assert.That(keys.Distinct(), Is.EqualTo(new[] { keys[0] }), string.Join(" | ", keys));
    }

    [TestCase("Siemens Aktiengesellschaft", "Siemens AG", "AG")]
    [TestCase("Bosch Gesellschaft mit beschränkter Haftung", "Bosch GmbH", "GmbH")]
    [TestCase("Heineken Naamloze Vennootschap", "Heineken N.V.", "N.V.")]
    [TestCase("Renault Société Anonyme", "Renault S.A.", "S.A.")]
    [TestCase("Nordhavn Drilling Services Malaysia Sendirian Berhad", "Nordhavn Drilling Services Malaysia Sdn Bhd", "Sdn Bhd")]
    [TestCase("Tata Consultancy Private Limited", "Tata Consultancy Pvt Ltd", "Pvt")]
    public void Normalize_ForeignFormWrittenOut_IsTheForm(string written, string abbreviated, string form)
    {
        var (w, a) = (NameNormalizer.Normalize(written), NameNormalizer.Normalize(abbreviated));
        Assert.That((w.Key, w.LegalForm), Is.EqualTo((a.Key, form)));
    }

    [TestCase("Global Mfg Ltd", "Global Manufacturing Limited")]
    [TestCase("Smith Bros. International", "Smith Brothers Int'l")]
    [TestCase("Acme Hldgs Grp", "Acme Holdings Group")]
    [TestCase("St. Mary's Medical Ctr", "Saint Mary's Medical Center")]
    [TestCase("ГК «Вектор»", "Группа компаний Вектор")]
    [TestCase("УК Домострой", "Управляющая компания «Домострой»")]
    public void Normalize_WordWrittenShortOrInFull_OneName(string first, string second) =>
        Assert.That(NameNormalizer.Normalize(first).Key, Is.EqualTo(NameNormalizer.Normalize(second).Key));

    [TestCase("А и Б", 3)]
    [TestCase("Дом и сад", 3)]
    public void Normalize_ConjunctionBetweenLetters_IsNoInitial(string name, int words) =>
        Assert.That(NameNormalizer.Normalize(name).Tokens, Has.Length.EqualTo(words));

    [Test]
    public void Normalize_BranchWithCity_DropsBranchWordingAndCity()
    {
        var n = NameNormalizer.Normalize("Филиал ООО «Ромашка» в г. Казани", "Казань");
        Assert.That((n.Key, n.LegalForm, n.SaysBranch), Is.EqualTo(("romashka", "ООО", true)));
    }

    [Test]
    public void Normalize_LatinBranchWithCity_DropsBranchWordingAndCity()
    {
        var n = NameNormalizer.Normalize("Romashka LLC, Kazan branch", "Kazan");
        Assert.That((n.Key, n.SaysBranch), Is.EqualTo(("romashka", true)));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("ООО")]
    [TestCase("ООО \"\"")]
    [TestCase("🌼🌼🌼")]
    [TestCase("«—»")]
    public void Normalize_NothingButFormOrSymbols_IsEmpty(string name) =>
        Assert.That(NameNormalizer.Normalize(name).IsEmpty, Is.True);

    [Test]
    public void Normalize_EmojiAroundName_KeepsName() =>
        Assert.That(NameNormalizer.Normalize("🌼 Ромашка 🌼").Key, Is.EqualTo("romashka"));

    [TestCase("Johnson & Johnson", "ohnson", "ohnson")]
    [TestCase("Johnson and Johnson", "ohnson and", "ohnson")]
    [TestCase("The Boeing Company", "the boeing", "boeing")]
    [TestCase("Иванов и партнёры", "ivanov i partneri", "ivanov partneri")]
    [TestCase("V and J Day Care", "v and i dai kare", "v i dai kare")]
    [TestCase("The And", "the and", "the and")]
    public void Normalize_ConjunctionsAndArticles_LeftOutOfTheKeyOnly(string name, string tokens, string key)
    {
        var n = NameNormalizer.Normalize(name);
        Assert.That((n.Key, string.Join(' ', n.KeyTokens)), Is.EqualTo((tokens, key)));
    }

    // Another name written after the firm's own: traded under, mail to, had before, also known as.
    [TestCase("Harbor Supplies Ltd t/a Harbor Marine", "Harbor Supplies Ltd ")]
    [TestCase("Harbor Supplies Ltd trading as Harbor Marine", "Harbor Supplies Ltd ")]
    [TestCase("Joe's Diner LLC d/b/a Joe's", "Joe's Diner LLC ")]
    [TestCase("Crescent Media Corp c/o John Smith", "Crescent Media Corp ")]
    [TestCase("Orchid Labs Inc. (formerly Petal Labs Inc.)", "Orchid Labs Inc. (")]
    [TestCase("АО «Тандер» (бывш. ООО «Магнит»)", "АО «Тандер» (")]
    [TestCase("DBA Consulting", "DBA Consulting")]
    [TestCase("Osaka Trading Aka", "Osaka Trading ")]
    [TestCase("Dbanks Formerlyson", "Dbanks Formerlyson")]
    public void OwnName_AnotherNameWrittenAfterIt_IsLeftOut(string name, string own) =>
        Assert.That(NameNormalizer.OwnName(name), Is.EqualTo(own));

    // Marks a ledger's users put on a row in brackets: left out; the same words outside brackets, or beside others in
    // them, are the name's.
    [TestCase("ООО «Ромашка» (дубль)", "ООО «Ромашка»")]
    [TestCase("Ромашка ООО (НЕ ИСПОЛЬЗОВАТЬ!!!)", "Ромашка ООО")]
    [TestCase("ИП Петров А.В. (не исп.)", "ИП Петров А.В.")]
    [TestCase("Acme Trading Ltd [DUPLICATE]", "Acme Trading Ltd")]
    [TestCase("Acme Trading Ltd (do not use)", "Acme Trading Ltd")]
    [TestCase("ООО «Вектор» (старый) (Казань)", "ООО «Вектор» (Казань)")]
    public void Normalize_UsersMarkInBrackets_IsLeftOut(string marked, string plain) =>
        Assert.That(NameNormalizer.Normalize(marked).KeyTokens, Is.EqualTo(NameNormalizer.Normalize(plain).KeyTokens));

    [TestCase("ДубльГИС")]
    [TestCase("Дубль Трейд (Казань)")]
    [TestCase("Old Mill Bakery")]
    [TestCase("Ромашка (дубль офиса)")]
    [TestCase("Copy Centre (Leeds)")]
    public void OwnName_MarkWordsNotAloneInBrackets_AreTheName(string name) =>
        Assert.That(NameNormalizer.OwnName(name), Is.EqualTo(name));

    [TestCase("ООО «Ромашка» (ИНН 7707083893)", "7707083893", null)]
    [TestCase("Ромашка ООО инн: 7707083893 кпп 773601001", "7707083893", "773601001")]
    [TestCase("Ромашка ООО ИНН/КПП 7707083893/773601001", "7707083893", "773601001")]
    [TestCase("ROMASHKA LLC INN 7707083893", "7707083893", null)]
    [TestCase("Holiday Inn 7707083893", null, null)]
    [TestCase("Ромашка 7707083893", null, null)]
    [TestCase("ООО ИННОВАЦИИ 7707083893", null, null)]
    [TestCase("Ромашка ИНН 77070838931", null, null)]
    public void IdentifiersInName_WrittenWithTheirMarker_AreRead(string name, string? inn, string? kpp) =>
        Assert.That(NameNormalizer.IdentifiersInName(name), Is.EqualTo((inn, kpp)));

    [TestCase("ООО «Ромашка» (ИНН 7707083893)", "ООО «Ромашка»")]
    [TestCase("Ромашка ООО ИНН 7707083893 КПП 773601001", "Ромашка ООО")]
    public void Normalize_IdentifiersWrittenIntoTheName_AreNotItsWords(string written, string plain) =>
        Assert.That(NameNormalizer.Normalize(written).KeyTokens, Is.EqualTo(NameNormalizer.Normalize(plain).KeyTokens));
}

using CrmExtensions.Unification.Internal;

namespace CrmExtensions.Unification.Tests.Internal;

public sealed class ContactsTests
{
    [TestCase("8 (495) 123-45-67", "74951234567")]
    [TestCase("+7 495 123 45 67", "74951234567")]
    [TestCase("9161234567", "79161234567")]
    [TestCase("+7 (495) 123-45-67 доб. 123", "74951234567#123")]
    [TestCase("(495) 1234567", "74951234567")]
    [TestCase("495 123 45 67 ext 9", "74951234567#9")]
    [TestCase("8-910-123-45-67, 8-495-111-22-33", "79101234567")]
    [TestCase("+7 495 123-45-67; +7 495 123-45-68", "74951234567")]
    [TestCase("(495) 123-45-67/68", "74951234567")]
    [TestCase("+7 (495) 123-45-67 доб. 123, 8 800 100-00-00", "74951234567#123")]
    [TestCase("123-45", null)]
    [TestCase("нет", null)]
    public void Phone_RussianFormats_OneCanonicalNumber(string raw, string? expected) =>
        Assert.That(Contacts.Phone(raw), Is.EqualTo(expected));

    [TestCase(" Info@Romashka.RU ", "info@romashka.ru")]
    [TestCase("a@b.ru; c@d.ru", "a@b.ru")]
    [TestCase("not an email", null)]
    [TestCase("@romashka.ru", null)]
    public void Email_Raw_TrimmedLowerCaseFirstAddress(string raw, string? expected) =>
        Assert.That(Contacts.Email(raw), Is.EqualTo(expected));

    [TestCase("https://www.Romashka.ru/contacts", "romashka.ru")]
    [TestCase("romashka.ru", "romashka.ru")]
    [TestCase("http://shop.romashka.ru:8080", "shop.romashka.ru")]
    [TestCase("нет сайта", null)]
    public void WebDomain_Url_HostWithoutWww(string raw, string? expected) =>
        Assert.That(Contacts.WebDomain(raw), Is.EqualTo(expected));

    [TestCase("mail.ru", true)]
    [TestCase("yandex.ru", true)]
    [TestCase("gmail.com", true)]
    [TestCase("bk.ru", true)]
    [TestCase("list.ru", true)]
    [TestCase("inbox.ru", true)]
    [TestCase("romashka.ru", false)]
    public void IsFreeMail_Domain_KnownPublicProviders(string domain, bool expected) =>
        Assert.That(Contacts.IsFreeMail(domain), Is.EqualTo(expected));
}

using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Tests.Names;

public sealed class AddressNormalizerTests
{
    [TestCase("г. Москва, пр-т Мира, д. 5", "Москва, проспект Мира, 5", "г Москва, пр. Мира, д 5")]
    [TestCase("б-р Гагарина, 12", "бульвар Гагарина, д. 12", "Б-Р ГАГАРИНА 12")]
    [TestCase("мкр-н Северный, 3", "микрорайон Северный, д. 3", "мкр. Северный 3")]
    [TestCase("пр-д Строителей, 8", "проезд Строителей, 8", "Пр-д Строителей д.8")]
    [TestCase("ул. Ленина, д. 5", "yлица Ленина, 5", "Улицa Ленина, дом 5")]
    [TestCase("пр-кт Мира, д. 5, помещ. 3", "проспект Мира, 5, помещение 3", "пр. Мира 5 пом. 3")]
    [TestCase("пос. Лесной, туп. Садовый, влд. 2", "посёлок Лесной, тупик Садовый, владение 2", "п. Лесной, туп Садовый, вл 2")]
    [TestCase("2141 S Tan Court, Suite 4", "2141 South Tan Ct., Ste. 4", "2141 S. TAN CT STE 4")]
    [TestCase("100 Northwest Parkway, Floor 2", "100 NW Pkwy, Fl 2", "100 nw parkway fl. 2")]
    public void Normalize_StreetKindWrittenOutAbbreviatedOrHyphenated_OneAddress(string first, string second, string third)
    {
        var words = AddressNormalizer.Normalize(first);

        Assert.That(new[] { AddressNormalizer.Normalize(second), AddressNormalizer.Normalize(third) }, Is.All.EqualTo(words));
    }
}

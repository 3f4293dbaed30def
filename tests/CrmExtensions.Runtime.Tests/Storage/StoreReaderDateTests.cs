using System.Globalization;
using CrmExtensions.Runtime.Storage;

namespace CrmExtensions.Runtime.Tests.Storage;

/// <summary>How the plugins' readers read a day the store keeps as text: the direct digits and the format agree.</summary>
public sealed class StoreReaderDateTests
{
    [TestCase("2025-01-31", "2025-01-31")]
    [TestCase("2024-02-29", "2024-02-29")]
    [TestCase("0001-01-01", "0001-01-01")]
    [TestCase("9999-12-31", "9999-12-31")]
    [TestCase("2025-06-30T10:15:00Z", "2025-06-30")]
    [TestCase("2025-06-30 extra", "2025-06-30")]
    public void Date_StoredDay_IsThatDay(string text, string expected)
    {
        Assert.That(StoreReader.Date(text), Is.EqualTo(DateOnly.ParseExact(expected, "yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("2025-1-31")]
    [TestCase("2025-02-29")]
    [TestCase("2025-13-01")]
    [TestCase("2025-00-10")]
    [TestCase("2025-04-31")]
    [TestCase("2025-04-00")]
    [TestCase("0000-01-01")]
    [TestCase("2025/01/31")]
    [TestCase("2025-0a-31")]
    [TestCase("٢٠٢٥-01-31")]
    public void Date_NotAStoredDay_IsNull(string? text)
    {
        Assert.That(StoreReader.Date(text), Is.Null);
    }

    [Test]
    public void Date_EveryDayOfFourYears_AgreesWithTheFormat()
    {
        for (var day = new DateOnly(2023, 1, 1); day < new DateOnly(2027, 1, 1); day = day.AddDays(1))
        {
            var text = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.That(StoreReader.Date(text), Is.EqualTo(day), text);
        }
    }
}

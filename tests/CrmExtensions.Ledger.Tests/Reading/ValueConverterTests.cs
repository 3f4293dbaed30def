using CrmExtensions.Ledger.Reading;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Ledger.Tests.Reading;

public sealed class ValueConverterTests
{
    private static object? Convert(ColumnType type, object? value)
    {
        Assert.That(ValueConverter.TryConvert(type, value, out var result, out var error), Is.True, error);
        return result;
    }

    [TestCase(1234.56, 12_345_600L)]
    [TestCase(0.1, 1_000L)]
    [TestCase(-5.0, -50_000L)]
    public void TryConvert_MoneyAsReal_IsExactToFourPlaces(double value, long stored) =>
        Assert.That(Convert(ColumnType.Money, value), Is.EqualTo(stored));

    [Test]
    public void TryConvert_MoneyAsIntegerAndDecimal_AreExact()
    {
        Assert.That(Convert(ColumnType.Money, 1234L), Is.EqualTo(12_340_000L));
        Assert.That(Convert(ColumnType.Money, 19.99m), Is.EqualTo(199_900L));
    }

    [TestCase("1234.56", 12_345_600L)]
    [TestCase("1 234,56", 12_345_600L)]
    [TestCase("1\u00A0234,56 ₽", 12_345_600L)]
    [TestCase("1,234.56", 12_345_600L)]
    [TestCase("1.234,56", 12_345_600L)]
    [TestCase("1 234 руб.", 12_340_000L)]
    [TestCase("-12,5", -125_000L)]
    [TestCase("RUB 99", 990_000L)]
    [TestCase("1 234 567.5", 12_345_675_000L)]
    [TestCase("1,234,567", 12_345_670_000L)]
    public void TryConvert_MoneyAsText_ReadsRussianAndEnglishWriting(string text, long stored) =>
        Assert.That(Convert(ColumnType.Money, text), Is.EqualTo(stored));

    [TestCase("abc")]
    [TestCase("12 руб 50")]
    [TestCase("1-2")]
    [TestCase("05.02.2024")]
    [TestCase("1,23,456")]
    public void TryConvert_TextThatIsNotMoney_SaysSo(string text)
    {
        Assert.That(ValueConverter.TryConvert(ColumnType.Money, text, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("not an amount of money"));
    }

    [TestCase("2024-03-05", "2024-03-05")]
    [TestCase("2024-03-05 14:22:01", "2024-03-05")]
    [TestCase("1996-07-04 00:00:00.000", "1996-07-04")]
    [TestCase("05.03.2024", "2024-03-05")]
    [TestCase("2024-03-05T10:00:00Z", "2024-03-05")]
    public void TryConvert_DateAsText_ReadsTheCommonFormats(string text, string expected) =>
        Assert.That(Convert(ColumnType.Date, text), Is.EqualTo(expected));

    [Test]
    public void TryConvert_DateAsNumbers_ReadsYyyymmddUnixTimeAndJulianDays()
    {
        Assert.That(Convert(ColumnType.Date, 20240305L), Is.EqualTo("2024-03-05"));
        Assert.That(Convert(ColumnType.Date, 1709596800L), Is.EqualTo("2024-03-05"));
        Assert.That(Convert(ColumnType.Date, 1709596800000L), Is.EqualTo("2024-03-05"));
        Assert.That(Convert(ColumnType.Date, 2460374.5), Is.EqualTo("2024-03-05"));
        Assert.That(Convert(ColumnType.Date, new DateTime(2024, 3, 5, 23, 59, 0)), Is.EqualTo("2024-03-05"));
    }

    [Test]
    public void TryConvert_EmptyDateOfTheYearOne_IsEmpty()
    {
        // 1C writes an empty date as 01.01.0001, as .NET's default is: no day a ledger recorded.
        Assert.That(ValueConverter.TryConvert(ColumnType.Date, "0001-01-01 00:00:00", out var text, out _), Is.True);
        Assert.That(ValueConverter.TryConvert(ColumnType.Date, "01.01.0001", out var dotted, out _), Is.True);
        Assert.That(ValueConverter.TryConvert(ColumnType.Date, DateTime.MinValue, out var value, out _), Is.True);
        Assert.That(new[] { text, dotted, value }, Has.All.Null);
        Assert.That(Convert(ColumnType.Date, "0001-01-02"), Is.EqualTo("0001-01-02"), "only the empty date itself");
    }

    // Issue 20, item 7: an INTEGER birthday 20260230 (no such day) was read as Unix seconds and stored as 1970-08-23.
    [TestCase(20260230L)]
    [TestCase(20261301L)]
    [TestCase(20250229L)]
    [TestCase(19991300L)]
    public void TryConvert_EightDigitNumberThatIsNoDay_IsRejectedNotReadAsUnixTime(long number)
    {
        Assert.That(ValueConverter.TryConvert(ColumnType.Date, number, out var value, out var error), Is.False, $"read as {value}");
        Assert.That(error, Does.Contain("yyyyMMdd").And.Contain("no such day"));
    }

    [Test]
    public void TryConvert_DateThatIsNotOne_SaysWhatWasExpected()
    {
        Assert.That(ValueConverter.TryConvert(ColumnType.Date, "31.02.2024", out _, out var error), Is.False);
        Assert.That(error, Does.Contain("not a date"));
    }

    [Test]
    public void TryConvert_TextKeys_AreTrimmedAndNumbersAreInvariant()
    {
        Assert.That(Convert(ColumnType.Text, "Val2 "), Is.EqualTo("Val2"));
        Assert.That(Convert(ColumnType.Text, "   "), Is.Null);
        Assert.That(Convert(ColumnType.Text, 10248L), Is.EqualTo("10248"));
        Assert.That(Convert(ColumnType.Text, 1.5), Is.EqualTo("1.5"));
    }

    [Test]
    public void TryConvert_Nulls_StayNull()
    {
        Assert.That(Convert(ColumnType.Money, DBNull.Value), Is.Null);
        Assert.That(Convert(ColumnType.Date, null), Is.Null);
    }
}

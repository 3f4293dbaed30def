using System.Globalization;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Store.Tests.Mirror;

public sealed class CurrencyTests
{
    [TestCase("RUB", "RUB")]
    [TestCase("RUR", "RUB")]
    [TestCase("643", "RUB")]
    [TestCase(" руб. ", "RUB")]
    [TestCase("₽", "RUB")]
    [TestCase("usd", "USD")]
    [TestCase("$", "USD")]
    [TestCase("840", "USD")]
    [TestCase("978", "EUR")]
    [TestCase("€", "EUR")]
    [TestCase("CHF", "CHF")]
    public void TryNormalize_TheWaysLedgersWriteACurrency_GiveItsLetterCode(string written, string code)
    {
        Assert.That(Currency.TryNormalize(written, out var normalized), Is.True);
        Assert.That(normalized, Is.EqualTo(code));
    }

    [TestCase("")]
    [TestCase("  ")]
    [TestCase(null)]
    public void TryNormalize_Empty_IsNoCurrency(string? written)
    {
        Assert.That(Currency.TryNormalize(written, out var normalized), Is.True);
        Assert.That(normalized, Is.Null);
    }

    [TestCase("dollars")]
    [TestCase("US Dollar")]
    [TestCase("12")]
    public void TryNormalize_Unknown_IsRefused(string written) =>
        Assert.That(Currency.TryNormalize(written, out _), Is.False);

    [TestCase("RUB", "1 234,50 ₽")]
    [TestCase("USD", "1 234,50 $")]
    [TestCase("CHF", "1 234,50 CHF")]
    public void Format_AnAmount_CarriesItsCurrencysSign(string code, string expected) =>
        Assert.That(Currency.Format(1234.5m, code, CultureInfo.GetCultureInfo("ru-RU")).Replace('\u00a0', ' ').Replace('\u202f', ' '), Is.EqualTo(expected));
}

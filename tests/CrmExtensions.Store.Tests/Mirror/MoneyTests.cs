using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Store.Tests.Mirror;

public sealed class MoneyTests
{
    [TestCase("1234.56", 12_345_600L)]
    [TestCase("0.00005", 1L)]
    [TestCase("-0.00005", -1L)]
    [TestCase("0.00004", 0L)]
    public void ToStored_RoundsHalfAwayFromZeroAtTheFourthDecimal(string amount, long stored) =>
        Assert.That(Money.ToStored(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(stored));

    [Test]
    public void FromStored_IsTheInverseOfToStored() =>
        Assert.That(Money.FromStored(Money.ToStored(987_654.3210m)), Is.EqualTo(987_654.3210m));
}

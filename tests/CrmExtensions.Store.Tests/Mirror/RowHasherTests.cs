using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Store.Tests.Mirror;

public sealed class RowHasherTests
{
    [Test]
    public void Hash_EqualValuesInOtherInstances_SameHash()
    {
        var first = RowHasher.Hash(new object?[] { "ab", 1L, null });
        var second = RowHasher.Hash(new object?[] { new string(['a', 'b']), 1L, null });

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Hash_ValueMovedBetweenColumnsOrNullVersusEmpty_Differs()
    {
        Assert.That(RowHasher.Hash(new object?[] { "ab", "c" }), Is.Not.EqualTo(RowHasher.Hash(new object?[] { "a", "bc" })));
        Assert.That(RowHasher.Hash(new object?[] { null, "x" }), Is.Not.EqualTo(RowHasher.Hash(new object?[] { "", "x" })));
        Assert.That(RowHasher.Hash(new object?[] { 100L }), Is.Not.EqualTo(RowHasher.Hash(new object?[] { 101L })));
    }

    [Test]
    public void Hash_UnsupportedValue_Throws() =>
        Assert.That(() => RowHasher.Hash(new object?[] { 1.5 }), Throws.ArgumentException);
}

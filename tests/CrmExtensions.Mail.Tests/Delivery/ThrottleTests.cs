using CrmExtensions.Mail.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Mail.Tests.Delivery;

public sealed class ThrottleTests
{
    [Test]
    public async Task WaitAsync_SixtyPerMinute_LetsOneMessageGoEachSecond()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var throttle = new Throttle(60, time);

        var first = throttle.WaitAsync(CancellationToken.None);
        var second = throttle.WaitAsync(CancellationToken.None);
        var secondBefore = second.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(999));
        var secondAlmost = second.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        var third = throttle.WaitAsync(CancellationToken.None);
        var thirdBefore = third.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));
        await third;

        Assert.That((first.IsCompleted, secondBefore, secondAlmost, thirdBefore), Is.EqualTo((true, false, false, false)));
    }

    [Test]
    public async Task WaitAsync_NoLimit_NeverWaits()
    {
        var throttle = new Throttle(0, new FakeTimeProvider());

        var waits = Enumerable.Range(0, 100).Select(_ => throttle.WaitAsync(CancellationToken.None)).ToList();

        Assert.That(waits.All(w => w.IsCompleted), Is.True);
        await Task.WhenAll(waits);
    }
}

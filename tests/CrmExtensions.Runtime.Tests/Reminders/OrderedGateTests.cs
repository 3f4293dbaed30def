using CrmExtensions.Runtime.Reminders;

namespace CrmExtensions.Runtime.Tests.Reminders;

public sealed class OrderedGateTests
{
    [Test]
    public void WaitAsync_UpToItsPlaces_IsGivenAtOnceAndTheNextWaitsForARelease()
    {
        var gate = new OrderedGate(2);

        var first = gate.WaitAsync(5, CancellationToken.None);
        var second = gate.WaitAsync(5, CancellationToken.None);
        var third = gate.WaitAsync(0, CancellationToken.None);

        Assert.That((first.IsCompletedSuccessfully, second.IsCompletedSuccessfully, third.IsCompleted), Is.EqualTo((true, true, false)));
        gate.Release();
        Assert.That(third.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void Release_WithWaiters_GivesThePlaceToTheLowestOrderThenTheEarliest()
    {
        var gate = new OrderedGate(1);
        Assert.That(gate.WaitAsync(0, CancellationToken.None).IsCompletedSuccessfully, Is.True);

        // Asked in this order; a later plugin's rule asking first must not get the place before an earlier plugin's.
        (int Order, string Name)[] asked = [(3, "c"), (1, "a1"), (2, "b"), (1, "a2")];
        var waiters = asked
            .Select(w => (w.Name, Task: gate.WaitAsync(w.Order, CancellationToken.None)))
            .ToList();
        var given = new List<string>();
        for (var i = 0; i < waiters.Count; i++)
        {
            Assert.That(waiters.Count(w => w.Task.IsCompleted), Is.EqualTo(i), "one place, so one waiter at a time");
            gate.Release();
            given.AddRange(waiters.Where(w => w.Task.IsCompletedSuccessfully && !given.Contains(w.Name)).Select(w => w.Name));
        }

        Assert.That(given, Is.EqualTo(new[] { "a1", "a2", "b", "c" }));
    }

    [Test]
    public void WaitAsync_CancelledWhileWaiting_LeavesTheQueueAndTheNextWaiterGetsThePlace()
    {
        var gate = new OrderedGate(1);
        _ = gate.WaitAsync(0, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(1, cancel.Token);
        var later = gate.WaitAsync(2, CancellationToken.None);

        cancel.Cancel();
        gate.Release();

        Assert.That((cancelled.IsCanceled, later.IsCompletedSuccessfully), Is.EqualTo((true, true)));
        gate.Release();
        Assert.That(gate.WaitAsync(3, CancellationToken.None).IsCompletedSuccessfully, Is.True, "the place given back is free again");
    }
}

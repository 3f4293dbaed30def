namespace CrmExtensions.Runtime.Reminders;

/// <summary>
/// At most a number of holders at once, like a semaphore, but a freed place goes to the waiter of the lowest order (the
/// earliest of them when two share one), not to the one that asked first.
/// </summary>
/// <remarks>
/// A reminder run writes the plugins' outcomes in the plugins' order, so an evaluation of an earlier plugin holds up every
/// later plugin's writes until it is done: its rules should not queue behind a later plugin's.
/// </remarks>
internal sealed class OrderedGate(int places)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<(int Order, long Arrival), Waiter> _waiting = [];
    private int _free = Math.Max(1, places);
    private long _arrivals;

    /// <summary>Completes when a place is this caller's; the caller gives it back with <see cref="Release"/>.</summary>
    public Task WaitAsync(int order, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            if (_free > 0)
            {
                _free--;
                return Task.CompletedTask;
            }

            var key = (order, _arrivals++);
            waiter = new Waiter();
            _waiting.Add(key, waiter);
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.Register(() => Cancel(key, cancellationToken));
            }
        }

        return waiter.Turn.Task;
    }

    /// <summary>Gives a place back: to the waiter of the lowest order, if any.</summary>
    public void Release()
    {
        Waiter? next = null;
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                _free++;
            }
            else
            {
                var first = _waiting.First();
                _waiting.Remove(first.Key);
                next = first.Value;
            }
        }

        if (next is not null)
        {
            next.Registration.Dispose();
            next.Turn.TrySetResult();
        }
    }

    private void Cancel((int Order, long Arrival) key, CancellationToken cancellationToken)
    {
        Waiter? waiter;
        lock (_lock)
        {
            if (!_waiting.Remove(key, out waiter))
            {
                // Given a place already: the caller has it and gives it back.
                return;
            }
        }

        waiter.Turn.TrySetCanceled(cancellationToken);
    }

    private sealed class Waiter
    {
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}

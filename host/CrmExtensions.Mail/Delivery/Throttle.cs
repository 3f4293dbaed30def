namespace CrmExtensions.Mail.Delivery;

/// <summary>Spaces sends evenly to at most a number of messages per minute, on the injected clock.</summary>
internal sealed class Throttle(int messagesPerMinute, TimeProvider time)
{
    private readonly TimeSpan _interval = messagesPerMinute > 0 ? TimeSpan.FromMinutes(1) / messagesPerMinute : TimeSpan.Zero;
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public bool Enabled => _interval > TimeSpan.Zero;

    /// <summary>Gets how long one message's share of a minute is.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>Waits until the next message may go.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_next > now)
        {
            await Task.Delay(_next - now, time, cancellationToken).ConfigureAwait(false);
            now = _next;
        }

        // No credit for idle time: a burst after a pause is still spaced.
        _next = now + _interval;
    }
}

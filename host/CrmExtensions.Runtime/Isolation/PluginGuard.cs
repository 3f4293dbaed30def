using Microsoft.Extensions.Logging;

namespace CrmExtensions.Runtime.Isolation;

/// <summary>How a guarded call into a plugin ended.</summary>
internal enum CallOutcome
{
    Succeeded,
    Failed,
    TimedOut,

    /// <summary>The plugin's worker ended mid-call (or answered that it cannot go on, or could not start, or the plugin is
    /// quarantined): the call did not complete, nothing of it was written, and it may be made again.</summary>
    Crashed,
}

/// <summary>The result of a guarded call: the value, or what went wrong in one line.</summary>
internal readonly record struct CallResult<T>(CallOutcome Outcome, T? Value, string? Problem)
{
    /// <summary>Gets what the plugin threw, when it threw.</summary>
    public Exception? Exception { get; init; }

    public bool Succeeded => Outcome == CallOutcome.Succeeded;
}

/// <summary>Runs every call into a plugin on the thread pool, within a time budget, catching whatever it throws.</summary>
/// <remarks>
/// A call that outlives its budget is cancelled and abandoned: .NET cannot stop a thread, so a plugin that ignores
/// its token keeps one pool thread until it returns. The host has moved on by then and discards anything it writes.
/// </remarks>
/// <remarks>A failure is logged with its stack trace under the plugin's own category (its id), so an operator can filter one
/// plugin's records; the caller still reports one clear line.</remarks>
internal sealed class PluginGuard(ILoggerFactory loggers)
{
    public async Task<CallResult<T>> RunAsync<T>(string pluginId, string call, TimeSpan budget, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        using var budgetCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var task = Task.Run(() => body(budgetCancellation.Token), CancellationToken.None);
        try
        {
            var value = await task.WaitAsync(budget, cancellationToken).ConfigureAwait(false);
            return new CallResult<T>(CallOutcome.Succeeded, value, null);
        }
        catch (TimeoutException)
        {
            await budgetCancellation.CancelAsync().ConfigureAwait(false);
            // Observe the abandoned task's eventual failure so it is not reported as unobserved.
            _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            var problem = $"plugin '{pluginId}': {call} did not finish within its time budget of {budget.TotalSeconds:0.###} s; abandoned.";
            loggers.CreateLogger(pluginId).LogWarning("{Problem}", problem);
            return new CallResult<T>(CallOutcome.TimedOut, default, problem);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Isolation is the point: whatever a plugin throws is reported, never propagated.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var inner = Unwrap(ex);
            var problem = $"plugin '{pluginId}': {call} threw {inner.GetType().Name}: {inner.Message}";
            loggers.CreateLogger(pluginId).LogError(inner, "{Problem}", problem);
            return new CallResult<T>(CallOutcome.Failed, default, problem) { Exception = inner };
        }
    }

    /// <summary>The plugin's own exception: dependency injection and reflection wrap what a plugin's constructor throws in
    /// <see cref="System.Reflection.TargetInvocationException"/> ("Exception has been thrown by the target of an
    /// invocation"), a task in <see cref="AggregateException"/>; the user must read the plugin's message.</summary>
    internal static Exception Unwrap(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    break;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    exception = aggregate.InnerExceptions[0];
                    break;
                default:
                    return exception;
            }
        }
    }
}

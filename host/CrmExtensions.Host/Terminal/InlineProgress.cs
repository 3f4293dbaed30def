namespace CrmExtensions.Host.Terminal;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (the CLI has no synchronisation context to post to).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

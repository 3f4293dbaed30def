using Microsoft.Extensions.Logging;

namespace CrmExtensions.Application.Logging;

/// <summary>Writes log records to one text writer (the CLI's error stream): <c>warn: CATEGORY: message</c>, then the exception's stack trace.</summary>
/// <remarks>Thread-safe: plugins log from pool threads while the host writes its own lines.</remarks>
[ProviderAlias("Stderr")]
internal sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var text = $"{Label(level)}: {category}: {message}";
        lock (_gate)
        {
            writer.WriteLine(text);
            if (exception is not null)
            {
                foreach (var line in exception.ToString().Split('\n'))
                {
                    writer.WriteLine("      " + line.TrimEnd('\r'));
                }
            }

            writer.Flush();
        }
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class Logger(TextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}

namespace CrmExtensions.Host.Commands;

/// <summary>What a command runs with: its output, its folder, its clock and how to stop.</summary>
/// <remarks>Tests create one with string writers and a temporary folder, and run commands in-process.</remarks>
internal sealed class CommandContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Where <c>--password-stdin</c> reads from (the process's standard input for <c>crmx</c>).</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>The folder relative paths are resolved against (the process's current folder for <c>crmx</c>).</summary>
    public required string WorkingDirectory { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Whether progress may be drawn on the error stream (a terminal, not a file or a test).</summary>
    public bool Interactive { get; init; }

    /// <summary>Environment variables, for <c>CRMX__…</c> overrides; null means the process's own.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public CancellationToken Cancellation { get; init; }
}

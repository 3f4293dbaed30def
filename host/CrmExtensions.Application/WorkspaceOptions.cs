using Microsoft.Extensions.Logging;

namespace CrmExtensions.Application;

/// <summary>Where a workspace comes from: the folder, the configuration file, the environment, the clock and where logs go.</summary>
/// <remarks>Every face builds one: the CLI from its arguments, the web from its host, the tests with fakes.</remarks>
internal sealed class WorkspaceOptions
{
    /// <summary>The folder relative paths are resolved against, and where <c>crmx.json</c> is looked for.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>An explicit configuration file (<c>--config</c>), or null for <c>crmx.json</c> in <see cref="WorkingDirectory"/>.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Environment variables for <c>CRMX__…</c> overrides; null means the process's own.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The clock everything the workspace records is stamped with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where log lines are written (the error stream of the CLI); null writes none.</summary>
    public TextWriter? LogWriter { get; init; }

    /// <summary>The lowest level written when the configuration's <c>Logging:LogLevel</c> does not say otherwise.</summary>
    /// <value><see cref="LogLevel.Warning"/>; <c>--verbose</c> lowers it to <see cref="LogLevel.Debug"/>.</value>
    public LogLevel MinimumLevel { get; init; } = LogLevel.Warning;
}

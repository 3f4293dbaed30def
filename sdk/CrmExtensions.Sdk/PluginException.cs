namespace CrmExtensions.Sdk;

/// <summary>The root of every exception the SDK defines.</summary>
/// <remarks>Messages say what is wrong and what to do; the data is in properties too.</remarks>
public abstract class PluginException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="pluginId">The plugin concerned, when known.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected PluginException(string message, string? pluginId, Exception? innerException)
        : base(message, innerException)
    {
        PluginId = pluginId;
    }

    /// <summary>Gets the id of the plugin concerned, or <see langword="null"/> when unknown.</summary>
    public string? PluginId { get; }
}

/// <summary>A plugin was refused or disabled: wrong SDK version, no manifest, a duplicate id, a missing dependency, a failing startup.</summary>
public sealed class PluginLoadException : PluginException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">Why the plugin was refused and what to do.</param>
    /// <param name="pluginId">The plugin's id, when its manifest could be read.</param>
    /// <param name="directory">The plugin's folder.</param>
    /// <param name="innerException">The cause, if any.</param>
    public PluginLoadException(string message, string? pluginId, string directory, Exception? innerException = null)
        : base(message, pluginId, innerException)
    {
        Directory = directory;
    }

    /// <summary>Gets the plugin's folder.</summary>
    public string Directory { get; }
}

/// <summary>A plugin registered something invalid in <see cref="PluginStartup.Configure"/>.</summary>
public sealed class PluginConfigurationException : PluginException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">What is invalid and how to fix it.</param>
    /// <param name="pluginId">The plugin.</param>
    public PluginConfigurationException(string message, string? pluginId)
        : base(message, pluginId, null)
    {
    }
}

/// <summary>A mail template could not be parsed or rendered.</summary>
public sealed class TemplateException : PluginException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="pluginId">The plugin that owns the templates.</param>
    /// <param name="errors">Every error, each as <c>file(line,col): message</c>.</param>
    public TemplateException(string? pluginId, IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors ?? []), pluginId, null)
    {
        Errors = errors ?? [];
    }

    /// <summary>Gets every error, each as <c>file(line,col): message</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}

/// <summary>A deal cannot move to the requested stage: the move is not allowed by its pipeline, or a guard refused it.</summary>
public sealed class StageMoveException : PluginException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">Why the move was refused.</param>
    /// <param name="pluginId">The plugin that asked for the move.</param>
    /// <param name="dealId">The deal.</param>
    /// <param name="toStage">The stage asked for.</param>
    public StageMoveException(string message, string? pluginId, string dealId, string toStage)
        : base(message, pluginId, null)
    {
        DealId = dealId;
        ToStage = toStage;
    }

    /// <summary>Gets the deal that could not move.</summary>
    public string DealId { get; }

    /// <summary>Gets the stage asked for.</summary>
    public string ToStage { get; }
}

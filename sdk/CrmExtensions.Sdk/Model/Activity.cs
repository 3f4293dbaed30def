namespace CrmExtensions.Sdk.Model;

/// <summary>Something done with or for a counterparty: a call, a meeting, a note.</summary>
public sealed class Activity
{
    /// <summary>Gets the activity's id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the id of the plugin that recorded it.</summary>
    public required string PluginId { get; init; }

    /// <summary>Gets the kind, such as <c>call</c> or <c>note</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the one-line subject.</summary>
    public required string Subject { get; init; }

    /// <summary>Gets longer notes, if any.</summary>
    public string? Notes { get; init; }

    /// <summary>Gets the counterparty concerned.</summary>
    public required LedgerKey Counterparty { get; init; }

    /// <summary>Gets when it was recorded.</summary>
    public required DateTimeOffset RecordedAt { get; init; }
}

/// <summary>A deal moving through a pipeline's stages.</summary>
public sealed class Deal
{
    /// <summary>Gets the deal's id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the id of the plugin whose pipeline the deal follows.</summary>
    public required string PluginId { get; init; }

    /// <summary>Gets the pipeline's name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>Gets the current stage.</summary>
    public required string Stage { get; init; }

    /// <summary>Gets the deal's title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the expected amount, if known.</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets the counterparty concerned.</summary>
    public required LedgerKey Counterparty { get; init; }

    /// <summary>Gets when the deal was opened.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

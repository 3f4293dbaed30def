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

    /// <summary>Gets the id of the client concerned, or <see langword="null"/> when its counterparty was in no client when recorded.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets when it happened, which for an imported or back-dated activity is before <see cref="RecordedAt"/>.</summary>
    /// <value>Never <see langword="null"/> from the host; <see langword="null"/> only where an older host or test kit built the object.</value>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>Gets our manager who had the contact, if known.</summary>
    public string? Manager { get; init; }

    /// <summary>Gets the channel (phone, e-mail, post, web, in person), if known.</summary>
    public string? Channel { get; init; }

    /// <summary>Gets <c>in</c> when the client reached us, <c>out</c> when we reached them, or <see langword="null"/>.</summary>
    public string? Direction { get; init; }

    /// <summary>Gets what came of it, if recorded.</summary>
    public string? Outcome { get; init; }

    /// <summary>Gets the id of the deal it was about, if any.</summary>
    public string? DealId { get; init; }
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

    /// <summary>Gets the id of the client the deal is with, or <see langword="null"/> when its counterparty was in no client when opened.</summary>
    /// <remarks>A guard that checks the client (say, for overdue invoices) reads it with <see cref="ICrmReader.GetClientAsync"/>,
    /// which lists every ledger row of the client, branches included.</remarks>
    public string? ClientId { get; init; }

    /// <summary>Gets our manager responsible for the deal, if set.</summary>
    public string? Owner { get; init; }

    /// <summary>Gets when the deal is expected to close, if set.</summary>
    public DateOnly? ExpectedClose { get; init; }
}

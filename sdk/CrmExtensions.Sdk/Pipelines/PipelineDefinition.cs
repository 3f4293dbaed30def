using CrmExtensions.Sdk.Model;

namespace CrmExtensions.Sdk.Pipelines;

/// <summary>A sales pipeline: its stages in order and the moves allowed between them.</summary>
public sealed class PipelineDefinition
{
    /// <summary>Gets the pipeline's name, unique within the plugin.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the stages in order; new deals start in the first.</summary>
    public required IReadOnlyList<string> Stages { get; init; }

    /// <summary>Gets the allowed moves; when empty, a deal may move to the next stage or to the last one.</summary>
    public IReadOnlyList<StageMove> Moves { get; init; } = [];

    /// <summary>Gets the stages in which a deal is closed and won.</summary>
    /// <value>When empty, a stage named <c>won</c> (any case), if there is one.</value>
    public IReadOnlyList<string> WonStages { get; init; } = [];

    /// <summary>Gets the stages in which a deal is closed and lost.</summary>
    /// <value>When empty, a stage named <c>lost</c> (any case), if there is one.</value>
    public IReadOnlyList<string> LostStages { get; init; } = [];
}

/// <summary>A move of a deal from one stage to another.</summary>
/// <param name="From">The stage the deal is in.</param>
/// <param name="To">The stage the deal moves to.</param>
public readonly record struct StageMove(string From, string To);

/// <summary>Consulted before a deal of one of the plugin's pipelines moves; registered with <see cref="IPluginBuilder.AddStageGuard{TGuard}"/>.</summary>
/// <example>
/// <code>
/// // Registered with plugin.AddPipeline(…).AddStageGuard&lt;AmountGuard&gt;(); a denial is shown as "refused by PLUGIN/GUARD: reason".
/// public sealed class AmountGuard : IStageGuard
/// {
///     public Task&lt;GuardDecision&gt; CheckAsync(Deal deal, StageMove move, CancellationToken cancellationToken) =&gt;
///         Task.FromResult(move.To == "invoiced" &amp;&amp; deal.Amount is null or 0
///             ? GuardDecision.Deny("a deal needs an amount before it is invoiced")
///             : GuardDecision.Allow);
/// }
/// </code>
/// </example>
public interface IStageGuard
{
    /// <summary>Decides whether a deal may make a move.</summary>
    /// <param name="deal">The deal, in its current stage.</param>
    /// <param name="move">The move asked for.</param>
    /// <param name="cancellationToken">Cancelled when the guard's time budget is spent.</param>
    /// <returns>The decision.</returns>
    Task<GuardDecision> CheckAsync(Deal deal, StageMove move, CancellationToken cancellationToken);
}

/// <summary>A guard's answer: allow, or deny with the reason people will read.</summary>
public sealed class GuardDecision
{
    private GuardDecision(bool allowed, string? reason)
    {
        Allowed = allowed;
        Reason = reason;
    }

    /// <summary>Gets the decision that allows the move.</summary>
    public static GuardDecision Allow { get; } = new(true, null);

    /// <summary>Gets whether the move is allowed.</summary>
    public bool Allowed { get; }

    /// <summary>Gets why the move was denied, or <see langword="null"/>.</summary>
    public string? Reason { get; }

    /// <summary>Denies the move.</summary>
    /// <param name="reason">Why, in words a person understands.</param>
    /// <returns>The decision.</returns>
    public static GuardDecision Deny(string reason) => new(false, reason);
}

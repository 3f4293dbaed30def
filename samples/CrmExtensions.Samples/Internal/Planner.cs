namespace CrmExtensions.Samples.Internal;

/// <summary>Something that plans rows of a sample: it draws from the sample's one context, in the order the generation
/// calls it.</summary>
internal abstract class Planner(PlanContext context)
{
    protected PlanContext Context { get; } = context;

    /// <summary>The sample's one random sequence (<see cref="PlanContext.Rng"/>).</summary>
    protected Rng Rng { get; } = context.Rng;

    protected Identifiers Ids { get; } = context.Ids;
}

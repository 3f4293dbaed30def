namespace CrmExtensions.Unification;

/// <summary>The names of the engine's stages, as <see cref="UnificationRequest.Progress"/> is told them when each starts
/// and as <see cref="UnificationSummary.Stages"/> times them.</summary>
public static class UnificationStages
{
    /// <summary>Every row read into the engine's table of normalised values.</summary>
    public const string Normalise = "normalise";

    /// <summary>A full run's blocking and comparing of every candidate pair.</summary>
    public const string BlockAndCompare = "block+compare";

    /// <summary>An incremental run's blocking, the closure of the rows it re-examines, and their pairs compared.</summary>
    public const string BlockScopeAndCompare = "block+scope+compare";

    /// <summary>The match model learnt from the compared pairs, and the pairs scored with it.</summary>
    public const string LearnAndScore = "learn+score";

    /// <summary>The pairs scored with a kept model.</summary>
    public const string Score = "score";

    /// <summary>Rows joined into clients: decisions, identifiers, parents, scored links.</summary>
    public const string Cluster = "cluster";

    /// <summary>Links and review pairs explained: the evidence each pair's comparison gives.</summary>
    public const string Explain = "explain";

    /// <summary>The result built from the clusters: clients, legal entities and branches, ids reused or given.</summary>
    public const string Result = "result";
}

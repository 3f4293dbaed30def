namespace CrmExtensions.Unification;

/// <summary>Thresholds and limits of a unification run.</summary>
public sealed record UnificationOptions
{
    /// <summary>Score at or above which two records are linked automatically.</summary>
    /// <value>0.8</value>
    public double LinkThreshold { get; init; } = 0.8;

    /// <summary>Score at or above which an unlinked pair is sent to review.</summary>
    /// <value>0.6</value>
    public double ReviewThreshold { get; init; } = 0.6;

    /// <summary>Largest block compared pair by pair; larger blocks are compared within a sliding window only.</summary>
    /// <value>200</value>
    public int MaxBlockSize { get; init; } = 200;

    /// <summary>Neighbours each record of an oversized block is compared with.</summary>
    /// <value>16</value>
    public int WindowSize { get; init; } = 16;

    /// <summary>A phone shared by more distinct names than this is a switchboard and links nothing.</summary>
    /// <value>3</value>
    public int MaxNamesPerPhone { get; init; } = 6;

    /// <summary>A mail or web domain shared by more distinct names than this is treated as public.</summary>
    /// <value>30</value>
    public int MaxNamesPerDomain { get; init; } = 30;

    /// <summary>Most review pairs listed, best first; the summary still counts them all.</summary>
    /// <value>10,000</value>
    public int MaxReviewPairs { get; init; } = 10_000;

    /// <summary>Degree of parallelism; -1 uses every core.</summary>
    /// <value>-1</value>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

namespace CrmExtensions.Unification;

/// <summary>A decision a person made about clients; decisions are passed in the order they were made.</summary>
/// <remarks>
/// Decisions are applied on every run and automatic evidence never overrides them. When two decisions conflict
/// the later one wins: a never-link after a merge separates the two again, a merge after a never-link joins them.
/// </remarks>
public abstract record UnificationDecision;

/// <summary>These members belong to one client (and, when <see cref="SameLegalEntity"/>, to one legal entity).</summary>
public sealed record MergeDecision(IReadOnlyList<MemberKey> Members, bool SameLegalEntity = false) : UnificationDecision;

/// <summary>These members leave the client that also held <see cref="From"/>, and form a client of their own.</summary>
/// <remarks><see cref="From"/> is the rest of the client when the decision was made; the caller records it with the decision.</remarks>
public sealed record SplitDecision(IReadOnlyList<MemberKey> Members, IReadOnlyList<MemberKey> From) : UnificationDecision;

/// <summary>These two members (and so their legal entities) must never end up in one client.</summary>
public sealed record NeverLinkDecision(MemberKey First, MemberKey Second) : UnificationDecision;

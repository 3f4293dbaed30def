namespace CrmExtensions.Unification.Internal;

/// <summary>A scored candidate link between two records (A &lt; B).</summary>
internal readonly record struct Edge(int A, int B, float Score, LinkRule Rule)
{
    public bool IsEntityLevel => Rule is LinkRule.SameTaxId or LinkRule.SameRegistrationNumber or LinkRule.ParentColumn or LinkRule.Similarity;

    /// <summary>Orders edges by their pair: A, then B.</summary>
    public static int ByPair(Edge x, Edge y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B);
}

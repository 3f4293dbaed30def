namespace CrmExtensions.Unification.Internal;

/// <summary>A scored candidate link between two records (A &lt; B).</summary>
internal readonly record struct Edge(int A, int B, float Score, LinkRule Rule)
{
    public bool IsEntityLevel => Rule is LinkRule.SameTaxId or LinkRule.SameRegistrationNumber or LinkRule.ParentColumn or LinkRule.Similarity;
}

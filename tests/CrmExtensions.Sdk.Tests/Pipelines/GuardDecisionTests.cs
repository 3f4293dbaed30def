using CrmExtensions.Sdk.Pipelines;

namespace CrmExtensions.Sdk.Tests.Pipelines;

public sealed class GuardDecisionTests
{
    [Test]
    public void Deny_KeepsTheReasonAndDisallows()
    {
        var decision = GuardDecision.Deny("no budget");

        Assert.That((decision.Allowed, decision.Reason), Is.EqualTo((false, "no budget")));
        Assert.That(GuardDecision.Allow.Allowed, Is.True);
    }
}

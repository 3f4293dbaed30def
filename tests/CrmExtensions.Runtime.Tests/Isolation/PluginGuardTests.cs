using CrmExtensions.Runtime.Isolation;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmExtensions.Runtime.Tests.Isolation;

public sealed class PluginGuardTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    // Found by reflection, as the loader finds a plugin's startup class.
    private static readonly Type StartupType = typeof(ThrowingStartup);

    private sealed class ThrowingStartup
    {
        public ThrowingStartup() => throw new InvalidOperationException("Setting 'apiKey' is missing: set plugins:settings:Acme:apiKey.");
    }

    // Issue 20, item 7: a plugin constructor's own message was hidden behind "TargetInvocationException: Exception has
    // been thrown by the target of an invocation".
    [Test]
    public async Task RunAsync_ConstructorThrowsThroughReflection_ReportsThePluginsOwnMessage()
    {
        var guard = new PluginGuard(NullLoggerFactory.Instance);

        var result = await guard.RunAsync("Acme", "startup", Budget, _ => Task.FromResult(Activator.CreateInstance(StartupType)), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(CallOutcome.Failed));
        Assert.That(result.Problem, Is.EqualTo("plugin 'Acme': startup threw InvalidOperationException: Setting 'apiKey' is missing: set plugins:settings:Acme:apiKey."));
    }

    [Test]
    public void Unwrap_NestedWrappers_ReturnsTheInnermostOwnException()
    {
        var own = new FormatException("bad");
        var wrapped = new AggregateException(new System.Reflection.TargetInvocationException(own));

        Assert.That(PluginGuard.Unwrap(wrapped), Is.SameAs(own));
    }
}

using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Storage;
using CrmExtensions.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Sdk.Tests.Testing;

/// <summary>Both ways to register a plugin's services fill its container: <c>plugin.Services</c> (SDK 1.2) and the obsolete
/// <see cref="PluginStartup.ConfigureServices"/> that plugins built before 1.2 override.</summary>
public sealed class PluginStartupServicesTests
{
    public sealed record Greeting(string Text);

    public sealed class GreetingHandler(Greeting greeting, ICrmWriter writer) : IEventHandler
    {
        public Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken) =>
            writer.AddActivityAsync(new NewActivity { Kind = "call", Subject = greeting.Text, Counterparty = new(crmEvent.Ledger, crmEvent.LedgerId) }, cancellationToken);
    }

    public sealed class BuilderStartup : PluginStartup
    {
        public override void Configure(IPluginBuilder plugin)
        {
            plugin.Services.AddSingleton(new Greeting("via plugin.Services"));
            plugin.AddEventHandler<GreetingHandler>();
        }
    }

    public sealed class OverridingStartup : PluginStartup
    {
#pragma warning disable CS0672, CS0618 // as a plugin built against SDK 1.1 overrides it
        public override void ConfigureServices(IServiceCollection services) => services.AddSingleton(new Greeting("via ConfigureServices"));
#pragma warning restore CS0672, CS0618

        public override void Configure(IPluginBuilder plugin) => plugin.AddEventHandler<GreetingHandler>();
    }

    private static async Task<string?> GreetAsync<TStartup>()
        where TStartup : PluginStartup, new()
    {
        using var harness = PluginHarness.Create<TStartup>();
        await harness.RaiseAsync(EventTypes.CounterpartyCreated, new LedgerKey("msk", "1"));
        return harness.Crm.Activities.SingleOrDefault()?.Subject;
    }

    [Test]
    public async Task Services_RegisteredInConfigure_ReachTheHandler() =>
        Assert.That(await GreetAsync<BuilderStartup>(), Is.EqualTo("via plugin.Services"));

    [Test]
    public async Task ConfigureServices_ObsoleteOverride_StillReachesTheHandler() =>
        Assert.That(await GreetAsync<OverridingStartup>(), Is.EqualTo("via ConfigureServices"));

    [Test]
    public void ConfigureServices_Obsolete_SaysWhatToUse()
    {
        var obsolete = typeof(PluginStartup).GetMethod(nameof(PluginStartup.ConfigureServices))!.GetCustomAttributes(typeof(ObsoleteAttribute), false).Cast<ObsoleteAttribute>().SingleOrDefault();

        Assert.That(obsolete?.Message, Does.Contain("plugin.Services"));
    }
}

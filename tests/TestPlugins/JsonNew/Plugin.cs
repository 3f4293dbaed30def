using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Storage;
using Newtonsoft.Json;

[assembly: CrmPlugin("Test.JsonNew", "1.0.0")]

namespace JsonNew;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) => plugin.AddEventHandler<Serializer>();
}

/// <summary>Serializes each event with its own Newtonsoft.Json and records which version did it.</summary>
public sealed class Serializer(IPluginStore data) : IEventHandler
{
    public async Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken)
    {
        await data.SetAsync("newtonsoft", typeof(JsonConvert).Assembly.GetName().Version!.ToString(), cancellationToken);
        await data.SetAsync("event", JsonConvert.SerializeObject(new { crmEvent.Sequence, crmEvent.Type }), cancellationToken);
    }
}

using CrmExtensions.Plugins.Greetings;
using CrmExtensions.Sdk;

[assembly: CrmPlugin(Startup.Id, "1.0.0")]

namespace CrmExtensions.Plugins.Greetings;

/// <summary>Registers the birthday and anniversary rule, the holiday rule and their templates.</summary>
public sealed class Startup : PluginStartup
{
    /// <summary>The plugin's id, under which its settings are read (<c>plugins.settings.CrmExtensions.Greetings</c>).</summary>
    public const string Id = "CrmExtensions.Greetings";

    /// <inheritdoc />
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddReminder<BirthdayRule>().AddReminder<HolidayRule>().AddTemplates("templates");
}

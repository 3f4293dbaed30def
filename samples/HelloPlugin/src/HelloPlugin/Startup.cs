using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Events;

[assembly: CrmPlugin("Hello", "1.0.0", Description = "Welcome calls for new counterparties; reminders, mails and a client-card panel for invoices 30 days overdue.")]

namespace HelloPlugin;

/// <summary>Registers what the plugin contributes.</summary>
public sealed class Startup : PluginStartup
{
    /// <inheritdoc />
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddEventHandler<WelcomeHandler>(EventTypes.CounterpartyCreated)
            .AddReminder<OverdueInvoiceReminder>()
            .AddClientPanel<OverduePanel>()
            .AddTemplates("templates");
}

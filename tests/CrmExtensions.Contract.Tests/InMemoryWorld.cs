using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Storage;
using CrmExtensions.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

[assembly: CrmPlugin("CrmExtensions.Contract.Tests", "1.0.0")]

namespace CrmExtensions.Contract.Tests;

/// <summary>
/// <see cref="ContractWorld"/> as a plugin test sees it: an <see cref="InMemoryCrm"/> filled through its public seeding API,
/// with the clients unification would make under the test kit's own ids (<c>c1</c>, <c>c2</c>, …), and writes made by a
/// plugin run in a <see cref="PluginHarness"/>.
/// </summary>
internal sealed class InMemoryWorld : IDisposable
{
    private readonly PluginHarness _harness;

    public InMemoryWorld()
    {
        Crm = new InMemoryCrm();
        foreach (var counterparty in ContractWorld.Counterparties)
        {
            Crm.AddCounterparty(counterparty);
        }

        foreach (var invoice in ContractWorld.Invoices)
        {
            Crm.AddInvoice(new Invoice
            {
                Key = invoice.Key, Counterparty = invoice.Counterparty, Number = invoice.Number, IssuedOn = invoice.IssuedOn, DueOn = invoice.DueOn,
                Amount = invoice.Amount, PaidAmount = invoice.PaidAmount, Currency = invoice.Currency, Manager = invoice.Manager,
                SettledOn = ContractWorld.SettledOnSyncDay(invoice),
            });
        }

        foreach (var payment in ContractWorld.Payments)
        {
            Crm.AddPayment(payment);
        }

        foreach (var contact in ContractWorld.Contacts)
        {
            Crm.AddContact(contact);
        }

        foreach (var client in ContractWorld.Clients(head => "c" + (ContractWorld.Heads.ToList().IndexOf(head) + 1)))
        {
            Crm.AddClient(client);
        }

        var clock = new FakeTimeProvider(new DateTimeOffset(ContractWorld.SyncDay.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        _harness = PluginHarness.Create<WritingPlugin>(Crm, clock, AppContext.BaseDirectory);
    }

    public InMemoryCrm Crm { get; }

    /// <summary>Runs writes inside one call into a plugin, as the harness commits them.</summary>
    public async Task WriteAsync(Func<ICrmWriter, Task> write)
    {
        WritingRule.Next.Value = write;
        try
        {
            await _harness.EvaluateRemindersAsync();
        }
        finally
        {
            WritingRule.Next.Value = null;
        }
    }

    public void Dispose() => _harness.Dispose();

    /// <summary>A plugin whose only rule makes the writes a test hands it.</summary>
    private sealed class WritingPlugin : PluginStartup
    {
        public override void Configure(IPluginBuilder plugin) => plugin.AddReminder<WritingRule>();
    }

    private sealed class WritingRule(ICrmWriter writer) : IReminderRule
    {
        public static readonly AsyncLocal<Func<ICrmWriter, Task>?> Next = new();

        public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
        {
            if (Next.Value is { } write)
            {
                await write(writer);
            }

            return [];
        }
    }
}

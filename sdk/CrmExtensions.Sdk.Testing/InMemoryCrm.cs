using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Sdk.Testing;

/// <summary>An in-memory CRM for plugin tests: the ledger rows a plugin reads and everything it wrote.</summary>
/// <remarks>Not thread-safe; fill it before firing events. Writes appear here when the call into the plugin returns.</remarks>
public sealed class InMemoryCrm : ICrmReader
{
    private readonly List<Counterparty> _counterparties = [];
    private readonly List<Invoice> _invoices = [];
    private readonly List<Payment> _payments = [];
    private readonly List<Contact> _contacts = [];
    private readonly List<Client> _clients = [];
    private readonly List<Activity> _activities = [];
    private readonly List<Deal> _deals = [];
    private readonly List<Reminder> _reminders = [];
    private readonly List<RenderedMail> _mails = [];
    private readonly Dictionary<string, string> _data = new(StringComparer.Ordinal);

    /// <summary>Gets the activities plugins recorded, oldest first.</summary>
    public IReadOnlyList<Activity> Activities => _activities;

    /// <summary>Gets the deals plugins opened, in their current stage.</summary>
    public IReadOnlyList<Deal> Deals => _deals;

    /// <summary>Gets the reminders stored, one per key.</summary>
    public IReadOnlyList<Reminder> Reminders => _reminders;

    /// <summary>Gets the mails queued, rendered, one per business key.</summary>
    public IReadOnlyList<RenderedMail> Mails => _mails;

    /// <summary>Gets the plugin's key/value store.</summary>
    public IReadOnlyDictionary<string, string> Data => _data;

    /// <summary>Adds a counterparty.</summary>
    /// <param name="counterparty">The counterparty.</param>
    /// <returns>This CRM.</returns>
    public InMemoryCrm AddCounterparty(Counterparty counterparty) => Add(_counterparties, counterparty);

    /// <summary>Adds an invoice.</summary>
    /// <param name="invoice">The invoice.</param>
    /// <returns>This CRM.</returns>
    public InMemoryCrm AddInvoice(Invoice invoice) => Add(_invoices, invoice);

    /// <summary>Adds a payment.</summary>
    /// <param name="payment">The payment.</param>
    /// <returns>This CRM.</returns>
    public InMemoryCrm AddPayment(Payment payment) => Add(_payments, payment);

    /// <summary>Adds a contact person.</summary>
    /// <param name="contact">The contact.</param>
    /// <returns>This CRM.</returns>
    public InMemoryCrm AddContact(Contact contact) => Add(_contacts, contact);

    /// <summary>Adds a client with its members.</summary>
    /// <param name="client">The client.</param>
    /// <returns>This CRM.</returns>
    public InMemoryCrm AddClient(Client client) => Add(_clients, client);

    /// <inheritdoc />
    public Task<Client?> GetClientAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult(_clients.FirstOrDefault(c => c.ClientId == clientId));

    /// <inheritdoc />
    public Task<Client?> FindClientAsync(LedgerKey counterparty, CancellationToken cancellationToken) =>
        Task.FromResult(_clients.FirstOrDefault(c => c.Members.Any(m => m.Counterparty == counterparty)));

    /// <inheritdoc />
    public Task<Counterparty?> GetCounterpartyAsync(LedgerKey key, CancellationToken cancellationToken) =>
        Task.FromResult(_counterparties.FirstOrDefault(c => c.Key == key));

    /// <inheritdoc />
    public Task<IReadOnlyList<Contact>> GetContactsAsync(LedgerKey counterparty, CancellationToken cancellationToken) =>
        List(_contacts.Where(c => c.Counterparty == counterparty).OrderBy(c => c.FullName, StringComparer.Ordinal));

    /// <inheritdoc />
    public Task<Invoice?> GetInvoiceAsync(LedgerKey key, CancellationToken cancellationToken) =>
        Task.FromResult(_invoices.FirstOrDefault(i => i.Key == key));

    /// <inheritdoc />
    public Task<IReadOnlyList<Invoice>> GetInvoicesAsync(LedgerKey counterparty, CancellationToken cancellationToken) =>
        List(_invoices.Where(i => i.Counterparty == counterparty).OrderByDescending(i => i.IssuedOn));

    /// <inheritdoc />
    public Task<IReadOnlyList<Invoice>> GetOverdueInvoicesAsync(DateOnly dueBefore, int limit, CancellationToken cancellationToken) =>
        List(_invoices.Where(i => i.SettledOn is null && !i.Vanished && i.DueOn < dueBefore).OrderBy(i => i.DueOn).Take(limit));

    /// <inheritdoc />
    public Task<IReadOnlyList<Payment>> GetPaymentsAsync(LedgerKey counterparty, CancellationToken cancellationToken) =>
        List(_payments.Where(p => p.Counterparty == counterparty).OrderByDescending(p => p.PaidOn));

    /// <inheritdoc />
    public Task<IReadOnlyList<Activity>> GetActivitiesAsync(LedgerKey counterparty, CancellationToken cancellationToken) =>
        List(_activities.Where(a => a.Counterparty == counterparty).Reverse());

    /// <inheritdoc />
    public Task<Deal?> GetDealAsync(string dealId, CancellationToken cancellationToken) =>
        Task.FromResult(_deals.FirstOrDefault(d => d.Id == dealId));

    internal void Apply(IReadOnlyList<WriteOp> ops)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case AddActivityOp a:
                    _activities.Add(a.Activity);
                    break;
                case OpenDealOp d:
                    _deals.Add(d.Deal);
                    break;
                case MoveDealOp m:
                    var index = _deals.FindIndex(d => d.Id == m.DealId);
                    var deal = _deals[index];
                    _deals[index] = new Deal
                    {
                        Id = deal.Id, PluginId = deal.PluginId, Pipeline = deal.Pipeline, Stage = m.To, Title = deal.Title,
                        Amount = deal.Amount, Counterparty = deal.Counterparty, CreatedAt = deal.CreatedAt,
                    };
                    break;
                case AddReminderOp r:
                    _reminders.Add(r.Reminder);
                    break;
                case QueueMailOp q:
                    _mails.Add(q.Mail);
                    break;
                case SetDataOp { Value: null } s:
                    _data.Remove(s.Key);
                    break;
                case SetDataOp s:
                    _data[s.Key] = s.Value;
                    break;
            }
        }
    }

    internal ICommittedState Committed => new State(this);

    private InMemoryCrm Add<T>(List<T> list, T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        list.Add(item);
        return this;
    }

    private static Task<IReadOnlyList<T>> List<T>(IEnumerable<T> items) => Task.FromResult<IReadOnlyList<T>>(items.ToList());

    private sealed class State(InMemoryCrm crm) : ICommittedState
    {
        public Task<bool> ReminderExistsAsync(string pluginId, string key, CancellationToken cancellationToken) =>
            Task.FromResult(crm._reminders.Any(r => r.Key == key));

        public Task<bool> MailKeyExistsAsync(string key, CancellationToken cancellationToken) =>
            Task.FromResult(crm._mails.Any(m => m.Key == key));

        public Task<(bool Found, string? Value)> GetDataAsync(string pluginId, string key, CancellationToken cancellationToken) =>
            Task.FromResult(crm._data.TryGetValue(key, out var value) ? (true, (string?)value) : (false, null));
    }
}

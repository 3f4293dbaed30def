using System.Runtime.CompilerServices;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Sdk.Testing;

/// <summary>An in-memory CRM for plugin tests: the ledger rows a plugin reads and everything it wrote.</summary>
/// <remarks>Not thread-safe; fill it before firing events. Writes appear here when the call into the plugin returns.
/// Its <see cref="ICrmFacts"/> follows the host's rules: an invoice is settled by a day when the payments naming it up to
/// that day cover it, or when its <see cref="Invoice.SettledOn"/> is on or before that day.</remarks>
public sealed class InMemoryCrm : ICrmReader, ICrmFacts
{
    /// <summary>Rows in the host's order for ties: by ledger, then by the row's id, as text.</summary>
    private static readonly Comparer<LedgerKey> KeyOrder = Comparer<LedgerKey>.Create((a, b) =>
        string.CompareOrdinal(a.Ledger, b.Ledger) is var byLedger and not 0 ? byLedger : string.CompareOrdinal(a.Id, b.Id));

    private readonly Dictionary<(string Client, string Name), string> _tags = [];
    private readonly List<Counterparty> _counterparties = [];
    private readonly List<Invoice> _invoices = [];
    private readonly List<Payment> _payments = [];
    private readonly List<Contact> _contacts = [];
    private readonly List<Client> _clients = [];
    private readonly List<Activity> _activities = [];
    private readonly List<Deal> _deals = [];
    private readonly HashSet<(string Segment, string Client)> _segments = [];
    private readonly List<Reminder> _reminders = [];
    private readonly List<RenderedMail> _mails = [];
    private readonly Dictionary<string, string> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ProductRecommendation>> _recommendations = new(StringComparer.Ordinal);

    /// <summary>Gets the activities plugins recorded, oldest first.</summary>
    public IReadOnlyList<Activity> Activities => _activities;

    /// <summary>Gets the deals plugins opened, in their current stage.</summary>
    public IReadOnlyList<Deal> Deals => _deals;

    /// <summary>Gets the reminders stored, one per key.</summary>
    public IReadOnlyList<Reminder> Reminders => _reminders;

    /// <summary>Gets the mails queued, rendered, one per business key.</summary>
    public IReadOnlyList<RenderedMail> Mails => _mails;

    /// <summary>Gets the client tags plugins set, by client id and tag name (SDK 1.1).</summary>
    public IReadOnlyDictionary<(string Client, string Name), string> ClientTags => _tags;

    /// <summary>Gets the plugin's key/value store.</summary>
    public IReadOnlyDictionary<string, string> Data => _data;

    /// <summary>One payment by its key, for the events the harness raises.</summary>
    internal Payment? FindPayment(LedgerKey key) => _payments.FirstOrDefault(p => p.Key == key);

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

    /// <summary>Puts clients in a segment, as the host's segment conditions would select them.</summary>
    /// <param name="segment">The segment as <see cref="ICrmReader.IsInSegmentAsync"/> is asked for it: <c>segment=night-callers</c>, <c>overdue=yes</c>, ….</param>
    /// <param name="clientIds">The clients in it.</param>
    /// <returns>This CRM.</returns>
    /// <remarks>The kit does not evaluate rules: a test says who is in which segment, and a client's retirement takes it out.</remarks>
    public InMemoryCrm AddToSegment(string segment, params string[] clientIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(segment);
        ArgumentNullException.ThrowIfNull(clientIds);
        foreach (var client in clientIds)
        {
            _segments.Add((segment, client));
        }

        return this;
    }

    /// <inheritdoc />
    public Task<bool> IsInSegmentAsync(string clientId, string segment, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(segment);
        return Task.FromResult(_segments.Contains((segment, clientId)) && _clients.Any(c => c.ClientId == clientId && !c.Retired));
    }

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
        List(_invoices.Where(i => i.Counterparty == counterparty).OrderByDescending(i => i.IssuedOn).ThenBy(i => i.Key.Id, StringComparer.Ordinal));

    /// <inheritdoc />
    [Obsolete("Use GetUnsettledInvoicesDueBeforeAsync (the same query: invoices not marked settled, payments not counted), or StreamOverdueInvoicesAsync for what is still owed as of a day.")]
    public Task<IReadOnlyList<Invoice>> GetOverdueInvoicesAsync(DateOnly dueBefore, int limit, CancellationToken cancellationToken) =>
        GetUnsettledInvoicesDueBeforeAsync(dueBefore, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Invoice>> GetUnsettledInvoicesDueBeforeAsync(DateOnly dueBefore, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return List(_invoices.Where(i => i.SettledOn is null && !i.Vanished && i.DueOn < dueBefore).OrderBy(i => i.DueOn).ThenBy(i => i.Key, KeyOrder).Take(limit));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Payment>> GetPaymentsAsync(LedgerKey counterparty, CancellationToken cancellationToken) =>
        List(_payments.Where(p => p.Counterparty == counterparty).OrderByDescending(p => p.PaidOn).ThenBy(p => p.Key.Id, StringComparer.Ordinal));

    /// <inheritdoc />
    public Task<IReadOnlyList<Activity>> GetActivitiesAsync(LedgerKey counterparty, CancellationToken cancellationToken) =>
        List(_activities.Where(a => a.Counterparty == counterparty).Reverse());

    /// <inheritdoc />
    public Task<Deal?> GetDealAsync(string dealId, CancellationToken cancellationToken) =>
        Task.FromResult(_deals.FirstOrDefault(d => d.Id == dealId));

    /// <summary>Sets what <see cref="GetRecommendationsAsync"/> answers for a client, best first, as the host would have
    /// computed it from the clients' invoice lines (SDK 1.3).</summary>
    /// <param name="clientId">The client.</param>
    /// <param name="recommendations">Its recommendations, best first; empty to clear them.</param>
    /// <returns>This CRM.</returns>
    public InMemoryCrm SetRecommendations(string clientId, IEnumerable<ProductRecommendation> recommendations)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(recommendations);
        _recommendations[clientId] = recommendations.ToList();
        return this;
    }

    /// <inheritdoc />
    /// <remarks>The recommendations set with <see cref="SetRecommendations"/> for a current client; none otherwise.</remarks>
    public Task<IReadOnlyList<ProductRecommendation>> GetRecommendationsAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult(_clients.Any(c => c.ClientId == clientId && !c.Retired) && _recommendations.TryGetValue(clientId, out var list)
            ? list
            : (IReadOnlyList<ProductRecommendation>)[]);

    /// <inheritdoc />
    public Task<Recipient?> GetRecipientAsync(string clientId, CancellationToken cancellationToken)
    {
        if (_clients.FirstOrDefault(c => c.ClientId == clientId && !c.Retired) is not { Members.Count: > 0 } client)
        {
            return Task.FromResult<Recipient?>(null);
        }

        // The host's order: by legal entity, then ledger key.
        var members = client.Members.OrderBy(m => m.LegalEntity, StringComparer.Ordinal).ThenBy(m => m.Counterparty.Ledger, StringComparer.Ordinal)
            .ThenBy(m => m.Counterparty.Id, StringComparer.Ordinal).ToList();
        var keys = members.Select(m => m.Counterparty).ToHashSet();
        var contacts = _contacts.Where(c => keys.Contains(c.Counterparty))
            .OrderBy(c => c.FullName, StringComparer.Ordinal).ThenBy(c => c.Key.Ledger, StringComparer.Ordinal).ThenBy(c => c.Key.Id, StringComparer.Ordinal)
            .Select(c => new RecipientRule.Person(c.FullName, c.Position, c.Email));
        var headEmail = RecipientRule.HeadEmail(members.Select(m => (m.Role == ClientMemberRole.Head, _counterparties.FirstOrDefault(c => c.Key == m.Counterparty)?.Email)));
        return Task.FromResult(RecipientRule.Choose(contacts, headEmail, client.DisplayName));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ClientFacts> StreamClientFactsAsync(DateOnly asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var classes = AbcClasses(asOf);
        foreach (var client in _clients.Where(c => !c.Retired).OrderBy(c => c.ClientId, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var members = client.Members.Select(m => m.Counterparty).ToHashSet();
            var heads = client.Members.Where(m => m.Role == ClientMemberRole.Head).Select(m => m.Counterparty).ToHashSet();
            var counterparties = _counterparties.Where(c => members.Contains(c.Key) && !c.Vanished).ToList();
            var invoices = _invoices.Where(i => members.Contains(i.Counterparty) && !i.Vanished && i.IssuedOn <= asOf).ToList();
            var payments = _payments.Where(p => members.Contains(p.Counterparty) && p.PaidOn <= asOf).ToList();
            yield return new ClientFacts
            {
                ClientId = client.ClientId,
                DisplayName = client.DisplayName,
                Manager = HeadFirst(counterparties, heads, c => c.Manager),
                Email = HeadFirst(counterparties, heads, c => c.Email),
                Members = client.Members.Count,
                FirstInvoiceOn = invoices.Count == 0 ? null : invoices.Min(i => i.IssuedOn),
                LastInvoiceOn = invoices.Count == 0 ? null : invoices.Max(i => i.IssuedOn),
                Invoices = invoices.Count,
                RevenueLast12Months = invoices.Where(i => i.IssuedOn > asOf.AddYears(-1)).Sum(i => i.Amount),
                RevenuePrevious12Months = invoices.Where(i => i.IssuedOn > asOf.AddYears(-2) && i.IssuedOn <= asOf.AddYears(-1)).Sum(i => i.Amount),
                Payments = payments.Count,
                FirstPaymentOn = payments.Count == 0 ? null : payments.Min(p => p.PaidOn),
                LastPaymentOn = payments.Count == 0 ? null : payments.Max(p => p.PaidOn),
                Overdue = Overdue(asOf).Where(o => members.Contains(o.Invoice.Counterparty)).Sum(o => o.Outstanding),
                AbcClass = classes.GetValueOrDefault(client.ClientId, "C"),
                Recipient = await GetRecipientAsync(client.ClientId, cancellationToken).ConfigureAwait(false),
            };
        }
    }

    /// <summary>The host's Pareto classes as of a day: revenue of the live invoices issued in the twelve months up to it, per
    /// client (invoices of counterparties in no client ranked as one more), ranked by amount then id; A while the revenue
    /// ranked before a client is under 80 % of the total, B under 95 %, C after.</summary>
    private Dictionary<string, string> AbcClasses(DateOnly asOf)
    {
        var clientOf = _clients.Where(c => !c.Retired).SelectMany(c => c.Members.Select(m => (m.Counterparty, c.ClientId)))
            .GroupBy(x => x.Counterparty).ToDictionary(g => g.Key, g => g.First().ClientId);
        var from = asOf.AddYears(-1).AddDays(1);
        var revenue = _invoices.Where(i => !i.Vanished && i.IssuedOn >= from && i.IssuedOn <= asOf)
            .GroupBy(i => clientOf.GetValueOrDefault(i.Counterparty) ?? "")
            .Select(g => (Client: g.Key, Amount: g.Sum(i => i.Amount)))
            .OrderByDescending(r => r.Amount).ThenBy(r => r.Client.Length).ThenBy(r => r.Client, StringComparer.Ordinal).ToList();
        var total = revenue.Sum(r => r.Amount);
        var before = 0m;
        var classes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (client, amount) in revenue)
        {
            classes[client] = before * 5 < total * 4 ? "A" : before * 20 < total * 19 ? "B" : "C";
            before += amount;
        }

        return classes;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<OverdueInvoice> StreamOverdueInvoicesAsync(DateOnly asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var overdue in Overdue(asOf).OrderBy(o => o.ClientId, StringComparer.Ordinal).ThenBy(o => o.Invoice.DueOn).ThenBy(o => o.Invoice.Key, KeyOrder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return overdue;
        }
    }

    /// <inheritdoc />
    [Obsolete("Use GetClientOverdueInvoicesAsync (the same query: one client's invoices overdue as of a day, payments counted).")]
    public Task<IReadOnlyList<OverdueInvoice>> GetOverdueInvoicesAsync(string clientId, DateOnly asOf, CancellationToken cancellationToken) =>
        GetClientOverdueInvoicesAsync(clientId, asOf, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OverdueInvoice>> GetClientOverdueInvoicesAsync(string clientId, DateOnly asOf, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        return List(Overdue(asOf).Where(o => o.ClientId == clientId).OrderBy(o => o.Invoice.DueOn).ThenBy(o => o.Invoice.Key, KeyOrder));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Occasion> StreamOccasionsAsync(DateOnly from, DateOnly to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (to < from || to > from.AddYears(1).AddDays(-1))
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "The window ends on or after its first day and spans at most a year.");
        }

        await Task.Yield();
        foreach (var contact in _contacts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (contact.Birthday is { } since && OccasionWindow.Falls(since, from, to) is { } date)
            {
                var counterparty = _counterparties.FirstOrDefault(c => c.Key == contact.Counterparty);
                var client = ClientOf(contact.Counterparty);
                yield return new Occasion
                {
                    Kind = OccasionKind.ContactBirthday, Key = contact.Key, Counterparty = contact.Counterparty, Name = contact.FullName,
                    Position = contact.Position, Email = contact.Email, Since = since, Date = date, ClientId = client?.ClientId,
                    ClientName = client?.DisplayName ?? counterparty?.Name ?? contact.FullName, Manager = counterparty?.Manager,
                };
            }
        }

        foreach (var counterparty in _counterparties.Where(c => !c.Vanished))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (counterparty.Birthday is { } since && OccasionWindow.Falls(since, from, to) is { } date)
            {
                var client = ClientOf(counterparty.Key);
                yield return new Occasion
                {
                    Kind = counterparty.TaxId?.Trim().Length == 12 ? OccasionKind.ProprietorBirthday : OccasionKind.CompanyAnniversary,
                    Key = counterparty.Key, Counterparty = counterparty.Key, Name = counterparty.Name, Email = counterparty.Email, Since = since,
                    Date = date, ClientId = client?.ClientId, ClientName = client?.DisplayName ?? counterparty.Name, Manager = counterparty.Manager,
                };
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyValuePair<string, string>> StreamClientTagsAsync(string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var ((client, tag), value) in _tags.Where(t => t.Key.Name == name).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new KeyValuePair<string, string>(client, value);
        }
    }

    /// <summary>A value of a client's counterparties as the host names its manager: the heads' (the least when they differ), else any member's.</summary>
    private static string? HeadFirst(List<Counterparty> counterparties, HashSet<LedgerKey> heads, Func<Counterparty, string?> value) =>
        counterparties.Where(c => heads.Contains(c.Key)).Select(value).Where(v => v is not null).Order(StringComparer.Ordinal).FirstOrDefault()
        ?? counterparties.Select(value).Where(v => v is not null).Order(StringComparer.Ordinal).FirstOrDefault();

    private Client? ClientOf(LedgerKey counterparty) => _clients.FirstOrDefault(c => c.Members.Any(m => m.Counterparty == counterparty));

    private IEnumerable<OverdueInvoice> Overdue(DateOnly asOf)
    {
        foreach (var invoice in _invoices)
        {
            if (invoice.Vanished || invoice.DueOn is not { } due || due >= asOf || invoice.SettledOn <= asOf)
            {
                continue;
            }

            var payments = _payments.Where(p => p.Counterparty.Ledger == invoice.Key.Ledger && p.InvoiceId == invoice.Key.Id && p.PaidOn <= asOf).ToList();
            var paid = payments.Count > 0 ? payments.Sum(p => p.Amount) : invoice.SettledOn is null ? invoice.PaidAmount ?? 0 : 0;
            if (invoice.Amount - paid <= 0)
            {
                continue;
            }

            var counterparty = _counterparties.FirstOrDefault(c => c.Key == invoice.Counterparty);
            var client = ClientOf(invoice.Counterparty);
            yield return new OverdueInvoice
            {
                Invoice = invoice,
                AsOf = asOf,
                Outstanding = invoice.Amount - paid,
                // The in-memory CRM keeps no rates: every invoice counts as being in the base currency.
                OutstandingInBase = invoice.Amount - paid,
                BaseCurrency = invoice.Currency ?? "RUB",
                ClientId = client?.ClientId,
                ClientName = client?.DisplayName ?? counterparty?.Name ?? invoice.Counterparty.Id,
                Manager = invoice.Manager ?? counterparty?.Manager,
                CounterpartyName = counterparty?.Name ?? invoice.Counterparty.Id,
                Role = client?.Members.First(m => m.Counterparty == invoice.Counterparty).Role ?? ClientMemberRole.Head,
                City = counterparty?.City,
                Email = counterparty?.Email,
            };
        }
    }

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
                case SetClientTagOp { Value: null } t:
                    _tags.Remove((t.ClientId, t.Name));
                    break;
                case SetClientTagOp t:
                    _tags[(t.ClientId, t.Name)] = t.Value;
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

        public Task<bool> ClientExistsAsync(string clientId, CancellationToken cancellationToken) =>
            Task.FromResult(crm._clients.Any(c => c.ClientId == clientId));
    }
}

namespace CrmExtensions.Sdk.Facts;

/// <summary>What the ledgers say about one unified client as of a day, over all its legal entities and branches (SDK 1.1).</summary>
/// <remarks>Amounts are in the CRM's base currency. On the host's stream, <see cref="Manager"/> and <see cref="Email"/>,
/// <see cref="Overdue"/>, <see cref="AbcClass"/> and <see cref="Recipient"/> are read when first asked for (each costs a
/// pass over the whole base, or a look-up per client, a rule may not need); asked for after the stream ended, they are
/// read as the store holds them then.</remarks>
public sealed class ClientFacts
{
    /// <summary>Gets the client's id.</summary>
    public required string ClientId { get; init; }

    /// <summary>Gets the name shown to people.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets the responsible manager, if any: its head registrations' (the least by name when they differ), else any
    /// member's — the manager the client dossier and the reports name.</summary>
    public string? Manager
    {
        get => Resolved(ManagerBit) ? _manager : ResolveManager().Manager;
        init => Set(ManagerBit, ref _manager, value);
    }

    /// <summary>Gets an e-mail address of the client, if any: its head registrations' (the least when they differ), else
    /// any member's; to write to the client, use
    /// <see cref="Recipient"/>, which names the person.</summary>
    public string? Email
    {
        get => Resolved(EmailBit) ? _email : ResolveManager().Email;
        init => Set(EmailBit, ref _email, value);
    }

    /// <summary>Gets how many ledger counterparties make up the client.</summary>
    public int Members { get; init; }

    /// <summary>Gets the day of the first invoice, if any.</summary>
    public DateOnly? FirstInvoiceOn { get; init; }

    /// <summary>Gets the day of the last invoice up to the day, if any.</summary>
    public DateOnly? LastInvoiceOn { get; init; }

    /// <summary>Gets how many invoices were issued up to the day.</summary>
    public int Invoices { get; init; }

    /// <summary>Gets the amount invoiced in the twelve months ending on the day, in the CRM's base currency (invoices in a
    /// currency without a rate are in no amount of these facts).</summary>
    public decimal RevenueLast12Months { get; init; }

    /// <summary>Gets the amount invoiced in the twelve months before those, in the CRM's base currency.</summary>
    public decimal RevenuePrevious12Months { get; init; }

    /// <summary>Gets how many payments were received up to the day.</summary>
    public int Payments { get; init; }

    /// <summary>Gets the day of the first payment, if any.</summary>
    public DateOnly? FirstPaymentOn { get; init; }

    /// <summary>Gets the day of the last payment up to the day, if any.</summary>
    public DateOnly? LastPaymentOn { get; init; }

    /// <summary>Gets the amount still owed on invoices overdue as of the day, in the CRM's base currency.</summary>
    public decimal Overdue
    {
        get => Resolved(OverdueBit) ? _overdue : Resolve(OverdueBit, ref _overdue, static (d, f) => d.Overdue(f));
        init => Set(OverdueBit, ref _overdue, value);
    }

    /// <summary>Gets the client's Pareto class over the last twelve months up to the day (SDK 1.2): <c>A</c> for the clients
    /// that bring the first 80 % of the revenue, ranked by revenue, <c>B</c> up to 95 %, <c>C</c> for the rest and for clients
    /// without revenue — the classes of the Pareto report and of the campaigns' <c>abc=</c> segment.</summary>
    public string AbcClass
    {
        get => Resolved(AbcClassBit) ? _abcClass : Resolve(AbcClassBit, ref _abcClass, static (d, f) => d.AbcClass(f));
        init => Set(AbcClassBit, ref _abcClass, value);
    }

    /// <summary>Gets whom the CRM writes to about the client, with the person's name and why (SDK 1.2); the same as
    /// <see cref="Model.ICrmReader.GetRecipientAsync"/>. Null when the client has no address at all.</summary>
    public Model.Recipient? Recipient
    {
        get => Resolved(RecipientBit) ? _recipient : Resolve(RecipientBit, ref _recipient, static (d, f) => d.Recipient(f));
        init => Set(RecipientBit, ref _recipient, value);
    }

    private const int OverdueBit = 1, AbcClassBit = 2, RecipientBit = 4, ManagerBit = 8, EmailBit = 16;

    private string? _manager;
    private string? _email;
    private decimal _overdue;
    private string _abcClass = "C";
    private Model.Recipient? _recipient;

    // Which of the deferred facts are known: set by an initialiser or by the first read through Deferred.
    private int _resolved;

    /// <summary>Where the host reads the facts that cost a pass of their own over the whole base (the manager and e-mail, the
    /// overdue debt, the class and the recipient) when a reader first asks for them: a rule that never reads them does not pay for them. Null (the
    /// test kit's, or facts made by hand): what was initialised, else the defaults.</summary>
    internal IDeferredClientFacts? Deferred { get; init; }

    private bool Resolved(int bit) => Deferred is null || (Volatile.Read(ref _resolved) & bit) != 0;

    private T Resolve<T>(int bit, ref T field, Func<IDeferredClientFacts, ClientFacts, T> read)
    {
        // Two threads asking at once may both read it: the same value, written before the bit that says it is there.
        var value = read(Deferred!, this);
        field = value;
        Interlocked.Or(ref _resolved, bit);
        return value;
    }

    private (string? Manager, string? Email) ResolveManager()
    {
        // Read together (one look-up gives both); an initialiser's value of either is kept.
        var (manager, email) = Deferred!.ManagerAndEmail(this);
        if ((Volatile.Read(ref _resolved) & ManagerBit) == 0)
        {
            _manager = manager;
        }

        if ((Volatile.Read(ref _resolved) & EmailBit) == 0)
        {
            _email = email;
        }

        Interlocked.Or(ref _resolved, ManagerBit | EmailBit);
        return (_manager, _email);
    }

    private void Set<T>(int bit, ref T field, T value)
    {
        field = value;
        _resolved |= bit;
    }
}

/// <summary>How the host reads a client's deferred facts (<see cref="ClientFacts.Deferred"/>); each is read once per
/// facts object, from any thread, at any time during or after the stream that made it.</summary>
internal interface IDeferredClientFacts
{
    /// <summary>The client's debt overdue on the stream's day, in the base currency.</summary>
    decimal Overdue(ClientFacts facts);

    /// <summary>The client's Pareto class on the stream's day.</summary>
    string AbcClass(ClientFacts facts);

    /// <summary>Whom the CRM writes to about the client.</summary>
    Model.Recipient? Recipient(ClientFacts facts);

    /// <summary>The client's manager and e-mail address: its head members', else any member's.</summary>
    (string? Manager, string? Email) ManagerAndEmail(ClientFacts facts);
}

using CrmExtensions.Sdk.Model;

namespace CrmExtensions.Contract.Tests;

/// <summary>
/// One small client base, written once and seeded into each implementation of the contract: two regional ledgers of one
/// supplier (<c>msk</c>, <c>spb</c>), synced on <see cref="SyncDay"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>ООО «Ромашка» (INN 7707083893): head msk/H1 in Moscow, branch spb/B1 in St Petersburg (another ledger).
/// msk/1 (100, due 2025-02-01) paid 40 on 02-10 and 60 on 03-05; spb/2 (50, due 02-15) unpaid, with the invoice's own
/// manager; msk/3 (70, due 01-20) marked paid by the ledger, no payments; msk/4 (200, due 06-15) 180 paid by the
/// ledger; spb/9 and spb/10 due the same day, unpaid; a payment with no invoice. The head and the branch name different managers.</item>
/// <item>ИП Лукин (INN 500100732259, a sole proprietor born 29 February): msk/5 (300, due 2024-03-31) paid 100.</item>
/// <item>АО «Вектор» (INN 7736050003): head msk/V1 and its duplicate row msk/V2; msk/6 issued to the duplicate in 2023
/// and paid in 2024; msk/7 in EUR not yet due; msk/8 with no due date; msk/11 issued exactly a year before the sync day.</item>
/// <item>Acme Trading GmbH (no INN) in spb: nothing invoiced.</item>
/// </list>
/// Contacts: Смирнова Анна Павловна (2 January), Ёлкин Фёдор (29 February), one without a birthday.
/// </remarks>
internal static class ContractWorld
{
    /// <summary>The day the ledgers are synced: invoices the ledgers show paid are seen settled on it.</summary>
    public static readonly DateOnly SyncDay = new(2025, 6, 30);

    public static readonly LedgerKey RomashkaHead = new("msk", "H1");
    public static readonly LedgerKey RomashkaBranch = new("spb", "B1");
    public static readonly LedgerKey Lukin = new("msk", "IP");
    public static readonly LedgerKey Vector = new("msk", "V1");
    public static readonly LedgerKey VectorDuplicate = new("msk", "V2");
    public static readonly LedgerKey Acme = new("spb", "A1");

    public static IReadOnlyList<Counterparty> Counterparties { get; } =
    [
        new() { Key = RomashkaHead, Name = "ООО «Ромашка»", TaxId = "7707083893", BranchCode = "770701001", City = "Москва", Email = "office@romashka.ru", Manager = "Петров П. П.", Birthday = new(2004, 3, 8) },
        new() { Key = RomashkaBranch, Name = "Филиал ООО «Ромашка» в г. Санкт-Петербург", TaxId = "7707083893", BranchCode = "781002001", City = "Санкт-Петербург", Email = "spb@romashka.ru", Manager = "Иванова А. А." },
        new() { Key = Lukin, Name = "ИП Лукин Пётр Сергеевич", TaxId = "500100732259", City = "Тверь", Email = "lukin@mail.ru", Birthday = new(1980, 2, 29) },
        new() { Key = Vector, Name = "АО «Вектор»", TaxId = "7736050003", BranchCode = "773601001", City = "Москва", Manager = "Сидоров С. С.", Birthday = new(2010, 12, 31) },
        new() { Key = VectorDuplicate, Name = "АО «Вектор»", TaxId = "7736050003", BranchCode = "773601001", City = "Москва", Email = "info@vector.ru" },
        new() { Key = Acme, Name = "Acme Trading GmbH", City = "Berlin", Email = "sales@acme.example" },
    ];

    public static IReadOnlyList<Invoice> Invoices { get; } =
    [
        Invoice("msk", "1", RomashkaHead, "А-1", new(2025, 1, 15), new(2025, 2, 1), 100m),
        Invoice("spb", "2", RomashkaBranch, "СПБ-2", new(2025, 2, 1), new(2025, 2, 15), 50m, manager: "Кузнецова Е. В."),
        Invoice("msk", "3", RomashkaHead, "А-3", new(2025, 1, 5), new(2025, 1, 20), 70m, paid: 70m),
        Invoice("msk", "4", RomashkaHead, "А-4", new(2025, 6, 1), new(2025, 6, 15), 200m, paid: 180m),
        Invoice("spb", "9", RomashkaBranch, "СПБ-9", new(2025, 3, 1), new(2025, 3, 31), 25m),
        Invoice("spb", "10", RomashkaBranch, "СПБ-10", new(2025, 3, 1), new(2025, 3, 31), 15m),
        Invoice("msk", "5", Lukin, "А-5", new(2024, 3, 1), new(2024, 3, 31), 300m),
        Invoice("msk", "6", VectorDuplicate, "А-6", new(2023, 11, 20), new(2023, 12, 20), 1000m),
        Invoice("msk", "7", Vector, "А-7", new(2025, 6, 20), new(2025, 7, 20), 500m, currency: "EUR"),
        Invoice("msk", "8", Vector, "А-8", new(2025, 5, 1), null, 10m),
        Invoice("msk", "11", Vector, "А-11", new(2024, 6, 30), new(2024, 7, 30), 400m, paid: 400m),
    ];

    public static IReadOnlyList<Payment> Payments { get; } =
    [
        new() { Key = new("msk", "P1"), Counterparty = RomashkaHead, PaidOn = new(2025, 2, 10), Amount = 40m, InvoiceId = "1" },
        new() { Key = new("msk", "P2"), Counterparty = RomashkaHead, PaidOn = new(2025, 3, 5), Amount = 60m, InvoiceId = "1" },
        new() { Key = new("spb", "P5"), Counterparty = RomashkaBranch, PaidOn = new(2025, 4, 1), Amount = 25m },
        new() { Key = new("msk", "P3"), Counterparty = Lukin, PaidOn = new(2024, 4, 10), Amount = 100m, InvoiceId = "5" },
        new() { Key = new("msk", "P4"), Counterparty = VectorDuplicate, PaidOn = new(2024, 1, 15), Amount = 1000m, InvoiceId = "6" },
    ];

    public static IReadOnlyList<Contact> Contacts { get; } =
    [
        new() { Key = new("spb", "77"), Counterparty = RomashkaBranch, FullName = "Смирнова Анна Павловна", Position = "Главный бухгалтер", Email = "smirnova@romashka.ru", Birthday = new(1975, 1, 2) },
        new() { Key = new("msk", "78"), Counterparty = Vector, FullName = "Ёлкин Фёдор", Position = "Директор", Birthday = new(1988, 2, 29) },
        new() { Key = new("msk", "79"), Counterparty = RomashkaHead, FullName = "Орлова Мария", Email = "orlova@romashka.ru" },
    ];

    /// <summary>The clients unification makes of the counterparties, each named by its head's key (the same in both worlds).</summary>
    public static IReadOnlyList<Client> Clients(Func<LedgerKey, string> idOf) =>
    [
        Client(idOf, "ООО «Ромашка»", (RomashkaHead, "7707083893", ClientMemberRole.Head), (RomashkaBranch, "7707083893", ClientMemberRole.Branch)),
        Client(idOf, "ИП Лукин Пётр Сергеевич", (Lukin, "500100732259", ClientMemberRole.Head)),
        // Unification marks every row of a head registration Head, a second ledger row of it too.
        Client(idOf, "АО «Вектор»", (Vector, "7736050003", ClientMemberRole.Head), (VectorDuplicate, "7736050003", ClientMemberRole.Head)),
        Client(idOf, "Acme Trading GmbH", (Acme, null, ClientMemberRole.Head)),
    ];

    /// <summary>The head of each client: the key the tests name a client by, whatever id an implementation gave it.</summary>
    public static IReadOnlyList<LedgerKey> Heads { get; } = [RomashkaHead, Lukin, Vector, Acme];

    /// <summary>What the host's sync does on <see cref="SyncDay"/>: an invoice the ledger shows paid, or whose payments cover
    /// it, is seen settled that day. The test kit is seeded with the same <see cref="Invoice.SettledOn"/>.</summary>
    public static DateOnly? SettledOnSyncDay(Invoice invoice) =>
        invoice.PaidAmount >= invoice.Amount
        || Payments.Where(p => p.Counterparty.Ledger == invoice.Key.Ledger && p.InvoiceId == invoice.Key.Id).Sum(p => p.Amount) >= invoice.Amount
            ? SyncDay
            : null;

    private static Invoice Invoice(string ledger, string id, LedgerKey counterparty, string number, DateOnly issued, DateOnly? due, decimal amount,
        decimal? paid = null, string currency = "RUB", string? manager = null) => new()
    {
        Key = new(ledger, id), Counterparty = counterparty, Number = number, IssuedOn = issued, DueOn = due, Amount = amount, PaidAmount = paid,
        Currency = currency, Manager = manager,
    };

    /// <remarks>A legal entity without an INN is named by its client's id and its place in the client, as unification names it.</remarks>
    private static Client Client(Func<LedgerKey, string> idOf, string name, params (LedgerKey Key, string? Entity, ClientMemberRole Role)[] members)
    {
        var id = idOf(members[0].Key);
        return new Client
        {
            ClientId = id,
            DisplayName = name,
            Members = members.Select(m => new ClientMember { Counterparty = m.Key, LegalEntity = m.Entity ?? id + "/1", Role = m.Role }).ToList(),
        };
    }
}

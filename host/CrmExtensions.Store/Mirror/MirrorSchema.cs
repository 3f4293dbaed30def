namespace CrmExtensions.Store.Mirror;

/// <summary>How a canonical column's value is converted from a ledger and kept in the mirror.</summary>
public enum ColumnType
{
    /// <summary>Text, trimmed; empty becomes null.</summary>
    Text,

    /// <summary>An amount of money, kept exactly as a whole number of ten-thousandths (see <see cref="Money"/>).</summary>
    Money,

    /// <summary>A calendar date, kept as <c>yyyy-MM-dd</c> text so that it sorts and compares the same in every database.</summary>
    Date,

    /// <summary>A change marker (timestamp, row version or number), kept as invariant text; used for watermarks.</summary>
    Stamp,

    /// <summary>A currency, kept as its ISO 4217 letter code (see <see cref="Mirror.Currency"/>): <c>643</c>, <c>RUR</c> and <c>₽</c> are <c>RUB</c>.</summary>
    Currency,
}

/// <summary>One canonical column of a mapped kind.</summary>
/// <param name="Name">The canonical name.</param>
/// <param name="Type">What its values are read as.</param>
/// <param name="Required">Whether a row without it is rejected.</param>
/// <param name="KeptWithout">Whether a row whose value cannot be read is kept without it rather than rejected: a value
/// that only describes the row (a birthday), never one that money or a reference is reckoned from.</param>
public sealed record MirrorColumn(string Name, ColumnType Type, bool Required, bool KeptWithout = false);

/// <summary>One kind of ledger row the host understands: counterparties, invoices, payments or contacts.</summary>
public sealed class MirrorKind
{
    internal MirrorKind(string name, string table, string singular, params MirrorColumn[] columns)
        : this(name, table, singular, announced: true, columns)
    {
    }

    internal MirrorKind(string name, string table, string singular, bool announced, params MirrorColumn[] columns)
    {
        Announced = announced;
        Name = name;
        Table = table;
        Singular = singular;
        Columns = columns;
        for (var i = 0; i < columns.Length; i++)
        {
            _ordinals[columns[i].Name] = i;
        }
    }

    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);

    /// <summary>The kind's name in mapping files, e.g. <c>invoices</c>.</summary>
    public string Name { get; }

    /// <summary>The mirror table in the store.</summary>
    public string Table { get; }

    /// <summary>The singular used in event names, e.g. <c>invoice</c> in <c>invoice.created</c>.</summary>
    public string Singular { get; }

    /// <summary>Whether a row's creation, change and disappearance become change events (<c>invoice.created</c>, ...).</summary>
    /// <remarks>
    /// Invoice lines and products are not announced: they are details of documents that are (an invoice's lines change
    /// with it), and a ledger has ten times more lines than invoices; what reads them follows the mirror's own stamps.
    /// </remarks>
    public bool Announced { get; }

    /// <summary>The canonical columns; the first is always <c>ledger_id</c>.</summary>
    public IReadOnlyList<MirrorColumn> Columns { get; }

    /// <summary>The position of a canonical column, or -1.</summary>
    public int Ordinal(string column) => _ordinals.TryGetValue(column, out var i) ? i : -1;

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>The canonical kinds and columns that mapping files target and the mirror keeps.</summary>
public static class MirrorSchema
{
    private static MirrorColumn Req(string name, ColumnType type = ColumnType.Text) => new(name, type, true);

    private static MirrorColumn Opt(string name, ColumnType type = ColumnType.Text) => new(name, type, false);

    /// <summary>Legal entities, branches and people the ledger trades with.</summary>
    public static MirrorKind Counterparties { get; } = new("counterparties", "mirror_counterparties", "counterparty",
        Req("ledger_id"), Req("name"), Opt("tax_id"), Opt("branch_code"), Opt("registration_number"),
        Opt("parent_ledger_id"), Opt("address"), Opt("city"), Opt("region"), Opt("country"), Opt("phone"),
        Opt("email"), Opt("website"), Opt("manager"), Opt("birthday", ColumnType.Date) with { KeptWithout = true }, Opt("updated_at", ColumnType.Stamp));

    /// <summary>Invoices (sales documents) issued to counterparties.</summary>
    public static MirrorKind Invoices { get; } = new("invoices", "mirror_invoices", "invoice",
        Req("ledger_id"), Req("counterparty_id"), Req("issued_on", ColumnType.Date), Req("amount", ColumnType.Money),
        Opt("number"), Opt("due_on", ColumnType.Date), Opt("currency", ColumnType.Currency), Opt("paid_amount", ColumnType.Money),
        Opt("manager"), Opt("updated_at", ColumnType.Stamp));

    /// <summary>Payments received from counterparties.</summary>
    public static MirrorKind Payments { get; } = new("payments", "mirror_payments", "payment",
        Req("ledger_id"), Req("counterparty_id"), Req("paid_on", ColumnType.Date), Req("amount", ColumnType.Money),
        Opt("invoice_id"), Opt("currency", ColumnType.Currency), Opt("updated_at", ColumnType.Stamp));

    /// <summary>Contact persons of counterparties.</summary>
    public static MirrorKind Contacts { get; } = new("contacts", "mirror_contacts", "contact",
        Req("ledger_id"), Req("counterparty_id"), Req("full_name"), Opt("position"), Opt("email"), Opt("phone"),
        Opt("birthday", ColumnType.Date) with { KeptWithout = true }, Opt("updated_at", ColumnType.Stamp));

    /// <summary>The goods and services a ledger sells: its catalogue, keyed by the product code the invoice lines use.</summary>
    public static MirrorKind Products { get; } = new("products", "mirror_products", "product", announced: false,
        Req("ledger_id"), Req("name"), Opt("product_group"), Opt("unit"), Opt("updated_at", ColumnType.Stamp));

    /// <summary>
    /// What an invoice sold, a row per line: the product (the ledger's code, and its name when the line carries one), the
    /// quantity (kept like money: exact to four decimals) and the line's amount in the invoice's currency.
    /// </summary>
    public static MirrorKind InvoiceLines { get; } = new("invoice_lines", "mirror_invoice_lines", "invoice_line", announced: false,
        Req("ledger_id"), Req("invoice_id"), Req("product_id"), Req("amount", ColumnType.Money), Opt("product_name"),
        Opt("quantity", ColumnType.Money), Opt("unit"), Opt("product_group"), Opt("updated_at", ColumnType.Stamp));

    /// <summary>
    /// The ledger's own exchange rates (as 1C keeps its register of rates): from <c>rate_on</c> on, <c>units</c> (1 unless
    /// mapped) of <c>currency</c> cost <c>rate</c> of the store's base currency. Documents in a currency are converted at
    /// the nearest rate on or before their date (see <see cref="MoneyConversion"/>).
    /// </summary>
    public static MirrorKind Rates { get; } = new("rates", "mirror_rates", "rate", announced: false,
        Req("ledger_id"), Req("currency", ColumnType.Currency), Req("rate_on", ColumnType.Date), Req("rate", ColumnType.Money),
        Opt("units", ColumnType.Money), Opt("updated_at", ColumnType.Stamp));

    /// <summary>
    /// The SQL condition that an invoice is still open: not settled, and not paid in full by its own paid amount. One
    /// definition for the summary, the dossier and the reports, so their open and overdue figures agree.
    /// </summary>
    /// <param name="alias">The invoices table's alias (or name) in the query.</param>
    /// <returns>A condition to AND into a WHERE or CASE.</returns>
    public static string OpenInvoice(string alias) => $"{alias}.settled_on IS NULL AND {alias}.amount > COALESCE({alias}.paid_amount, 0)";

    /// <summary>Every kind, in the order sync processes them (counterparties first, payments after invoices, lines last).</summary>
    public static IReadOnlyList<MirrorKind> Kinds { get; } = [Counterparties, Invoices, Payments, Contacts, Products, InvoiceLines, Rates];

    /// <summary>The kinds of the first store schema, whose tables migration 1 creates; later kinds come with their own migrations.</summary>
    internal static IReadOnlyList<MirrorKind> FirstKinds { get; } = [Counterparties, Invoices, Payments, Contacts];

    /// <summary>Finds a kind by its mapping name, or returns <see langword="null"/>.</summary>
    public static MirrorKind? Find(string name) => Kinds.FirstOrDefault(k => k.Name == name);
}

using CrmExtensions.Mail.Templates;

namespace CrmExtensions.Mail.Model;

/// <summary>What a campaign template sees about one client; see docs/templates.md for every variable.</summary>
/// <remarks>Members become snake_case variables: <c>client.legal_entities</c>, <c>invoice.days_overdue</c>, <c>totals.unpaid_count</c>.</remarks>
internal sealed record MailModel(
    long ClientId,
    MailClient Client,
    MailPerson? Contact,
    MailPerson? Manager,
    IReadOnlyList<MailInvoice> Invoices,
    MailTotals Totals,
    MailPurchase? LastPurchase,
    MailSender Sender,
    string UnsubscribeUrl,
    DateOnly Today,
    MailRecipient? Recipient)
{
    /// <summary>The names of the template variables, for checking what a pack needs at load.</summary>
    public static IReadOnlyList<string> Variables { get; } =
        ["client", "contact", "manager", "invoices", "overdue", "totals", "last_purchase", "sender", "unsubscribe_url", "today", "recipient"];

    /// <summary>The read-only variables a template renders with.</summary>
    public TemplateModel ToTemplateModel() => TemplateModel.From(new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["client"] = Client,
        ["contact"] = Contact,
        ["manager"] = Manager,
        ["invoices"] = Invoices,
        ["overdue"] = Invoices.Where(i => i.Overdue).ToList(),
        ["totals"] = Totals,
        ["last_purchase"] = LastPurchase,
        ["sender"] = Sender,
        ["unsubscribe_url"] = UnsubscribeUrl,
        ["today"] = Today,
        ["recipient"] = Recipient,
    });
}

/// <summary>The unified client: its name, legal entities, branches and region (of its head entity).</summary>
internal sealed record MailClient(string Id, string Name, string? Region, string? City, IReadOnlyList<MailLegalEntity> LegalEntities, IReadOnlyList<MailBranch> Branches)
{
    /// <summary>Products the client has not bought that it would likely buy, best first (<c>client.recommendations</c>).</summary>
    public IReadOnlyList<MailRecommendation> Recommendations { get; init; } = [];
}

/// <summary>A cross-sell recommendation: the product, and its reason in words ("bought by 34 of the 41 clients who bought X").</summary>
internal sealed record MailRecommendation(string Product, string Name, string Reason, string Because, int Together, int BecauseClients);

/// <summary>One legal entity of the client (ИНН, the head's КПП).</summary>
internal sealed record MailLegalEntity(string Name, string? Inn, string? Kpp);

/// <summary>A branch (another КПП of a legal entity, or a branch row of the ledger).</summary>
internal sealed record MailBranch(string Name, string? Kpp, string? City, string? Region);

/// <summary>A person: a contact of the client, or our manager.</summary>
internal sealed record MailPerson(string Name, string? Position, string? Email, string? Phone);

/// <summary>An unpaid invoice: what is still due, and whether and for how long it is overdue.</summary>
internal sealed record MailInvoice(string Number, string Ledger, DateOnly IssuedOn, DateOnly? DueOn, decimal Amount, decimal Paid, decimal Due, string Currency, bool Overdue, int DaysOverdue);

/// <summary>Totals over the client's unpaid invoices and its revenue over the last twelve months, in the store's base currency.</summary>
/// <remarks>Invoices in a currency without a rate are in none of them: <see cref="NotConverted"/> gives their own totals.</remarks>
internal sealed record MailTotals(decimal Unpaid, int UnpaidCount, decimal Overdue, int OverdueCount, decimal RevenueLastYear)
{
    /// <summary>Gets the currency of the totals: the store's base currency.</summary>
    public string Currency { get; init; } = Store.Mirror.Currency.DefaultBase;

    /// <summary>Gets, per currency without a rate, the unpaid and overdue amounts left out of the totals; null when there are none.</summary>
    public IReadOnlyList<MailCurrencyTotal>? NotConverted { get; init; }
}

/// <summary>Unpaid invoices of one currency that could not be converted to the base currency, in that currency.</summary>
internal sealed record MailCurrencyTotal(string Currency, decimal Unpaid, int UnpaidCount, decimal Overdue, int OverdueCount);

/// <summary>The client's latest invoice.</summary>
internal sealed record MailPurchase(string Number, DateOnly Date, decimal Amount);

/// <summary>Our company, as the mail signs.</summary>
internal sealed record MailSender(string Company, string Email, string? Phone, string? Website);

/// <summary>Where the mail goes: a contact's address or the client's own.</summary>
internal sealed record MailRecipient(string Address, string? Name);

using System.Globalization;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Runtime.Storage;

/// <summary>The plugins' read-only view of the store: the mirror, clients, activities and deals.</summary>
/// <remarks>Thread-safe: each read opens its own connection.</remarks>
internal sealed class StoreReader(CrmStore store) : ICrmReader
{
    private const string CounterpartyColumns =
        "ledger AS Ledger, ledger_id AS LedgerId, name AS Name, tax_id AS TaxId, branch_code AS BranchCode, city AS City, " +
        "email AS Email, phone AS Phone, manager AS Manager, birthday AS Birthday, vanished_at AS VanishedAt";

    private const string InvoiceColumns =
        "ledger AS Ledger, ledger_id AS LedgerId, counterparty_id AS CounterpartyId, number AS Number, issued_on AS IssuedOn, " +
        "due_on AS DueOn, amount AS Amount, paid_amount AS PaidAmount, currency AS Currency, manager AS Manager, settled_on AS SettledOn, vanished_at AS VanishedAt";

    internal const string ClientSql = "SELECT client_id AS ClientId, display_name AS DisplayName, merged_into AS MergedInto, retired_at AS RetiredAt FROM clients WHERE client_id = @id";
    internal const string ClientMembersSql = "SELECT ledger AS Ledger, ledger_id AS LedgerId, legal_entity AS LegalEntity, role AS Role FROM client_members WHERE client_id = @id ORDER BY ledger, ledger_id";
    internal const string ClientOfMemberSql = "SELECT client_id FROM client_members WHERE ledger = @ledger AND ledger_id = @id";
    internal const string CounterpartySql = "SELECT " + CounterpartyColumns + " FROM mirror_counterparties WHERE ledger = @ledger AND ledger_id = @id";
    internal const string ContactsSql = "SELECT ledger AS Ledger, ledger_id AS LedgerId, counterparty_id AS CounterpartyId, full_name AS FullName, " +
        "position AS Position, email AS Email, birthday AS Birthday FROM mirror_contacts WHERE ledger = @ledger AND counterparty_id = @id AND vanished_at IS NULL ORDER BY full_name";
    internal const string InvoiceSql = "SELECT " + InvoiceColumns + " FROM mirror_invoices WHERE ledger = @ledger AND ledger_id = @id";
    internal const string InvoicesSql = "SELECT " + InvoiceColumns + " FROM mirror_invoices WHERE ledger = @ledger AND counterparty_id = @id ORDER BY issued_on DESC, ledger_id";
    internal const string OverdueSelect = "SELECT " + InvoiceColumns + " FROM mirror_invoices WHERE settled_on IS NULL AND vanished_at IS NULL AND due_on IS NOT NULL AND due_on < @dueBefore ORDER BY due_on, ledger, ledger_id";
    internal const string PaymentsSql = "SELECT ledger AS Ledger, ledger_id AS LedgerId, counterparty_id AS CounterpartyId, paid_on AS PaidOn, amount AS Amount, " +
        "invoice_id AS InvoiceId FROM mirror_payments WHERE ledger = @ledger AND counterparty_id = @id AND vanished_at IS NULL ORDER BY paid_on DESC, ledger_id";
    internal const string PaymentSql = "SELECT ledger AS Ledger, ledger_id AS LedgerId, counterparty_id AS CounterpartyId, paid_on AS PaidOn, amount AS Amount, " +
        "invoice_id AS InvoiceId FROM mirror_payments WHERE ledger = @ledger AND ledger_id = @id";
    internal const string RecipientContactsSql = "SELECT ct.full_name AS Name, ct.position AS Position, ct.email AS Email FROM mirror_contacts ct " +
        "JOIN client_members m ON m.ledger = ct.ledger AND m.ledger_id = ct.counterparty_id WHERE m.client_id = @id AND ct.vanished_at IS NULL " +
        "ORDER BY ct.full_name, ct.ledger, ct.ledger_id";
    internal const string RecipientMembersSql = "SELECT m.role AS Role, mc.email AS Email, c.display_name AS ClientName FROM client_members m " +
        "JOIN clients c ON c.client_id = m.client_id LEFT JOIN mirror_counterparties mc ON mc.ledger = m.ledger AND mc.ledger_id = m.ledger_id " +
        "WHERE m.client_id = @id AND c.retired_at IS NULL ORDER BY m.legal_entity, m.ledger, m.ledger_id";
    internal const string ActivitiesSql = "SELECT activity_id AS Id, plugin_id AS PluginId, kind AS Kind, subject AS Subject, notes AS Notes, ledger AS Ledger, " +
        "counterparty_id AS CounterpartyId, recorded_at AS RecordedAt, client_id AS ClientId, occurred_at AS OccurredAt, manager AS Manager, channel AS Channel, " +
        "direction AS Direction, outcome AS Outcome, deal_id AS DealId " +
        "FROM activities WHERE ledger = @ledger AND counterparty_id = @id ORDER BY recorded_at DESC, activity_id DESC";
    internal const string DealSql = "SELECT deal_id AS Id, plugin_id AS PluginId, pipeline AS Pipeline, stage AS Stage, title AS Title, amount AS Amount, " +
        "ledger AS Ledger, counterparty_id AS CounterpartyId, created_at AS CreatedAt, client_id AS ClientId, owner AS Owner, expected_close AS ExpectedClose " +
        "FROM deals WHERE deal_id = @id";

    public Task<bool> IsInSegmentAsync(string clientId, string segment, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(segment);
        cancellationToken.ThrowIfCancellationRequested();
        Mail.Campaigns.Segment parsed;
        try
        {
            parsed = Mail.Campaigns.Segment.Parse(segment);
        }
        catch (CrmException ex)
        {
            throw new ArgumentException(ex.Message, nameof(segment), ex);
        }

        if (!StoreClientIds.TryParse(clientId, out var id))
        {
            return Task.FromResult(false);
        }

        using var connection = store.Open();
        try
        {
            var today = DateOnly.FromDateTime(store.Time.GetLocalNow().DateTime);
            return Task.FromResult(Mail.Segments.BehaviourSegments.IsMember(connection, parsed, id, today, store.Time.LocalTimeZone));
        }
        catch (CrmException ex)
        {
            throw new ArgumentException(ex.Message, nameof(segment), ex);
        }
    }

    internal static IEnumerable<string> Statements(StoreDialect dialect) =>
    [
        ClientSql, ClientMembersSql, ClientOfMemberSql, CounterpartySql, ContactsSql, InvoiceSql, InvoicesSql,
        dialect.Top(OverdueSelect, 100), PaymentsSql, PaymentSql, ActivitiesSql, DealSql, RecipientContactsSql, RecipientMembersSql,
    ];

    public async Task<Client?> GetClientAsync(string clientId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        if (!StoreClientIds.TryParse(clientId, out var id))
        {
            return null;
        }

        await using var connection = store.Open();
        var row = await connection.QuerySingleOrDefaultAsync<ClientRow>(Command(ClientSql, new { id }, cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var members = await connection.QueryAsync<MemberRow>(Command(ClientMembersSql, new { id }, cancellationToken)).ConfigureAwait(false);
        return new Client
        {
            ClientId = row.ClientId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DisplayName = row.DisplayName,
            MergedInto = row.MergedInto?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Retired = row.RetiredAt is not null,
            Members = members.Select(m => new ClientMember
            {
                Counterparty = new LedgerKey(m.Ledger, m.LedgerId),
                LegalEntity = m.LegalEntity,
                Role = Role(m.Role),
            }).ToList(),
        };
    }

    public async Task<Client?> FindClientAsync(LedgerKey counterparty, CancellationToken cancellationToken)
    {
        long? id;
        await using (var connection = store.Open())
        {
            id = await connection.QuerySingleOrDefaultAsync<long?>(Command(ClientOfMemberSql, Key(counterparty), cancellationToken)).ConfigureAwait(false);
        }

        return id is null ? null : await GetClientAsync(id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Counterparty?> GetCounterpartyAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var row = await connection.QuerySingleOrDefaultAsync<CounterpartyRow>(Command(CounterpartySql, Key(key), cancellationToken)).ConfigureAwait(false);
        return row is null ? null : new Counterparty
        {
            Key = new LedgerKey(row.Ledger, row.LedgerId),
            Name = row.Name,
            TaxId = row.TaxId,
            BranchCode = row.BranchCode,
            City = row.City,
            Email = row.Email,
            Phone = row.Phone,
            Manager = row.Manager,
            Birthday = Date(row.Birthday),
            Vanished = row.VanishedAt is not null,
        };
    }

    public async Task<IReadOnlyList<Contact>> GetContactsAsync(LedgerKey counterparty, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var rows = await connection.QueryAsync<ContactRow>(Command(ContactsSql, Key(counterparty), cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new Contact
        {
            Key = new LedgerKey(r.Ledger, r.LedgerId),
            Counterparty = new LedgerKey(r.Ledger, r.CounterpartyId),
            FullName = r.FullName,
            Position = r.Position,
            Email = r.Email,
            Birthday = Date(r.Birthday),
        }).ToList();
    }

    public async Task<Invoice?> GetInvoiceAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var row = await connection.QuerySingleOrDefaultAsync<InvoiceRow>(Command(InvoiceSql, Key(key), cancellationToken)).ConfigureAwait(false);
        return row is null ? null : ToInvoice(row);
    }

    public async Task<IReadOnlyList<Invoice>> GetInvoicesAsync(LedgerKey counterparty, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var rows = await connection.QueryAsync<InvoiceRow>(Command(InvoicesSql, Key(counterparty), cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToInvoice).ToList();
    }

    /// <summary>The 1.0 name of <see cref="GetUnsettledInvoicesDueBeforeAsync"/>, still called by plugins built against SDK 1.0 and 1.1.</summary>
    public Task<IReadOnlyList<Invoice>> GetOverdueInvoicesAsync(DateOnly dueBefore, int limit, CancellationToken cancellationToken) =>
        GetUnsettledInvoicesDueBeforeAsync(dueBefore, limit, cancellationToken);

    public async Task<IReadOnlyList<Invoice>> GetUnsettledInvoicesDueBeforeAsync(DateOnly dueBefore, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = store.Open();
        var sql = store.Dialect.Top(OverdueSelect, limit);
        var rows = await connection.QueryAsync<InvoiceRow>(Command(sql, new { dueBefore = dueBefore.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToInvoice).ToList();
    }

    public async Task<IReadOnlyList<Payment>> GetPaymentsAsync(LedgerKey counterparty, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var rows = await connection.QueryAsync<PaymentRow>(Command(PaymentsSql, Key(counterparty), cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToPayment).ToList();
    }

    /// <summary>One payment by its key, vanished or not: what a <c>payment.*</c> event carries.</summary>
    public async Task<Payment?> GetPaymentAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var row = await connection.QuerySingleOrDefaultAsync<PaymentRow>(Command(PaymentSql, Key(key), cancellationToken)).ConfigureAwait(false);
        return row is null ? null : ToPayment(row);
    }

    private static Payment ToPayment(PaymentRow r) => new()
    {
        Key = new LedgerKey(r.Ledger, r.LedgerId),
        Counterparty = new LedgerKey(r.Ledger, r.CounterpartyId),
        PaidOn = Date(r.PaidOn) ?? default,
        Amount = Money.FromStored(r.Amount),
        InvoiceId = r.InvoiceId,
    };

    public async Task<IReadOnlyList<Activity>> GetActivitiesAsync(LedgerKey counterparty, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var rows = await connection.QueryAsync<ActivityRow>(Command(ActivitiesSql, Key(counterparty), cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new Activity
        {
            Id = r.Id,
            PluginId = r.PluginId,
            Kind = r.Kind,
            Subject = r.Subject,
            Notes = r.Notes,
            Counterparty = new LedgerKey(r.Ledger, r.CounterpartyId),
            RecordedAt = Instant(r.RecordedAt),
            ClientId = r.ClientId?.ToString(CultureInfo.InvariantCulture),
            OccurredAt = r.OccurredAt is null ? Instant(r.RecordedAt) : Instant(r.OccurredAt),
            Manager = r.Manager,
            Channel = r.Channel,
            Direction = r.Direction,
            Outcome = r.Outcome,
            DealId = r.DealId,
        }).ToList();
    }

    public async Task<Recipient?> GetRecipientAsync(string clientId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        if (!StoreClientIds.TryParse(clientId, out var id))
        {
            return null;
        }

        await using var connection = store.Open();
        var members = (await connection.QueryAsync<(string Role, string? Email, string ClientName)>(Command(RecipientMembersSql, new { id }, cancellationToken))
            .ConfigureAwait(false)).ToList();
        if (members.Count == 0)
        {
            return null;
        }

        var contacts = await connection.QueryAsync<(string Name, string? Position, string? Email)>(Command(RecipientContactsSql, new { id }, cancellationToken))
            .ConfigureAwait(false);
        return RecipientRule.Choose(contacts.Select(c => new RecipientRule.Person(c.Name, c.Position, c.Email)),
            RecipientRule.HeadEmail(members.Select(m => (m.Role == "head", m.Email))), members[0].ClientName);
    }

    /// <remarks>Reads the lists as the last computation stored them (<c>crmx run</c> computes them after unifying, any dossier
    /// read when they are stale); a plugin's read does not compute them, so it never writes.</remarks>
    public async Task<IReadOnlyList<ProductRecommendation>> GetRecommendationsAsync(string clientId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        if (!StoreClientIds.TryParse(clientId, out var id))
        {
            return [];
        }

        await using var connection = store.Open();
        var rows = await connection.QueryAsync<Store.Recommendations.StoredRecommendation>(
            Command(Store.Recommendations.ProductRecommendations.ForClientSql, new { clientId = id }, cancellationToken)).ConfigureAwait(false);
        return rows.Select(row => row.ToRecommendation())
            .Select(r => new ProductRecommendation
            {
                ProductId = r.Product,
                Name = r.Name,
                Reason = r.Reason,
                BecauseProductId = r.Because,
                BecauseName = r.BecauseName,
                Together = r.Together,
                BecauseClients = r.BecauseClients,
                Lift = r.Lift,
                Jaccard = r.Jaccard,
            }).ToList();
    }

    public async Task<Deal?> GetDealAsync(string dealId, CancellationToken cancellationToken)
    {
        await using var connection = store.Open();
        var r = await connection.QuerySingleOrDefaultAsync<DealRow>(Command(DealSql, new { id = dealId }, cancellationToken)).ConfigureAwait(false);
        return r is null ? null : new Deal
        {
            Id = r.Id,
            PluginId = r.PluginId,
            Pipeline = r.Pipeline,
            Stage = r.Stage,
            Title = r.Title,
            Amount = r.Amount is { } a ? Money.FromStored(a) : null,
            Counterparty = new LedgerKey(r.Ledger, r.CounterpartyId),
            CreatedAt = Instant(r.CreatedAt),
            ClientId = r.ClientId?.ToString(CultureInfo.InvariantCulture),
            Owner = r.Owner,
            ExpectedClose = Date(r.ExpectedClose),
        };
    }

    /// <summary>A member's role as the store writes it (head, branch, duplicate, group_member).</summary>
    internal static ClientMemberRole Role(string? role) => role switch
    {
        "branch" => ClientMemberRole.Branch,
        "duplicate" => ClientMemberRole.Duplicate,
        "group_member" => ClientMemberRole.GroupMember,
        _ => ClientMemberRole.Head,
    };

    internal static Invoice ToInvoice(InvoiceRow r) => new()
    {
        Key = new LedgerKey(r.Ledger, r.LedgerId),
        Counterparty = new LedgerKey(r.Ledger, r.CounterpartyId),
        Number = r.Number,
        IssuedOn = Date(r.IssuedOn) ?? default,
        DueOn = Date(r.DueOn),
        Amount = Money.FromStored(r.Amount),
        PaidAmount = r.PaidAmount is { } p ? Money.FromStored(p) : null,
        Currency = r.Currency,
        Manager = r.Manager,
        SettledOn = Date(r.SettledOn),
        Vanished = r.VanishedAt is not null,
    };

    private static CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, cancellationToken: cancellationToken);

    private static object Key(LedgerKey key) => new { ledger = key.Ledger, id = key.Id };

    internal static DateOnly? Date(string? text)
    {
        if (text is not { Length: >= 10 })
        {
            return null;
        }

        // The store writes every day as yyyy-MM-dd: its digits are read directly (the facts read several days per client of a
        // million), which accepts exactly what the format yyyy-MM-dd would.
        var span = text.AsSpan(0, 10);
        return span[4] == '-' && span[7] == '-' && Digits(span[..4], out var year) && Digits(span.Slice(5, 2), out var month) && Digits(span.Slice(8, 2), out var day)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    internal static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed record ClientRow(long ClientId, string DisplayName, long? MergedInto, string? RetiredAt);

    private sealed record MemberRow(string Ledger, string LedgerId, string? LegalEntity, string Role);

    private sealed class CounterpartyRow
    {
        public string Ledger { get; set; } = "";
        public string LedgerId { get; set; } = "";
        public string Name { get; set; } = "";
        public string? TaxId { get; set; }
        public string? BranchCode { get; set; }
        public string? City { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? Manager { get; set; }
        public string? Birthday { get; set; }
        public string? VanishedAt { get; set; }
    }

    private sealed class ContactRow
    {
        public string Ledger { get; set; } = "";
        public string LedgerId { get; set; } = "";
        public string CounterpartyId { get; set; } = "";
        public string FullName { get; set; } = "";
        public string? Position { get; set; }
        public string? Email { get; set; }
        public string? Birthday { get; set; }
    }

    /// <summary>An invoice row of the mirror; the facts' overdue row extends it.</summary>
    internal class InvoiceRow
    {
        public string Ledger { get; set; } = "";
        public string LedgerId { get; set; } = "";
        public string CounterpartyId { get; set; } = "";
        public string? Number { get; set; }
        public string? IssuedOn { get; set; }
        public string? DueOn { get; set; }
        public long Amount { get; set; }
        public long? PaidAmount { get; set; }
        public string? Currency { get; set; }
        public string? Manager { get; set; }
        public string? SettledOn { get; set; }
        public string? VanishedAt { get; set; }
    }

    private sealed class PaymentRow
    {
        public string Ledger { get; set; } = "";
        public string LedgerId { get; set; } = "";
        public string CounterpartyId { get; set; } = "";
        public string? PaidOn { get; set; }
        public long Amount { get; set; }
        public string? InvoiceId { get; set; }
    }

    private sealed class ActivityRow
    {
        public string Id { get; set; } = "";
        public string PluginId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Subject { get; set; } = "";
        public string? Notes { get; set; }
        public string Ledger { get; set; } = "";
        public string CounterpartyId { get; set; } = "";
        public string RecordedAt { get; set; } = "";
        public long? ClientId { get; set; }
        public string? OccurredAt { get; set; }
        public string? Manager { get; set; }
        public string? Channel { get; set; }
        public string? Direction { get; set; }
        public string? Outcome { get; set; }
        public string? DealId { get; set; }
    }

    private sealed class DealRow
    {
        public string Id { get; set; } = "";
        public string PluginId { get; set; } = "";
        public string Pipeline { get; set; } = "";
        public string Stage { get; set; } = "";
        public string Title { get; set; } = "";
        public long? Amount { get; set; }
        public string Ledger { get; set; } = "";
        public string CounterpartyId { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public long? ClientId { get; set; }
        public string? Owner { get; set; }
        public string? ExpectedClose { get; set; }
    }
}

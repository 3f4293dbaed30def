using System.Globalization;

namespace CrmExtensions.Samples.Internal;

/// <summary>One generation: asks the planners for each client's rows, writes them with their documents and ground truth.</summary>
/// <remarks>
/// Heads are written as soon as they are planned; duplicates and branches wait in a small pool and come out in random
/// order, so that a duplicate does not sit next to its original (people enter them months apart). Memory stays bounded:
/// only the identifier registries grow with the size of the sample.
/// </remarks>
internal sealed class GenerationRun : IDisposable
{
    private const int DeferredPoolSize = 400;
    private const int ComplexClientMaxRows = 24;

    private readonly SampleLedgerOptions _options;
    private readonly Rng _rng;
    private readonly LedgerWriter[] _writers;
    private readonly TextWriter _truth;
    private readonly IProgress<SampleProgress>? _progress;
    private readonly DateOnly _asOf;
    private readonly DateOnly _historyStart;
    private readonly string[][] _managers;
    private readonly List<PlannedRow> _deferred = [];
    private readonly PlanContext _context;
    private readonly EntityRows _entityRows;
    private readonly OrganisationPlanner _organisations;
    private readonly SoleProprietorPlanner _soleProprietors;
    private readonly ForeignFirmPlanner _foreignFirms;
    private readonly GroupPlanner _groups;
    private readonly Baskets _baskets;
    private long _written;

    public GenerationRun(SampleLedgerOptions options, IReadOnlyList<LedgerWriter> writers, TextWriter truth, IProgress<SampleProgress>? progress)
    {
        _options = options;
        _rng = new Rng(options.Seed);
        _writers = [.. writers];
        _truth = truth;
        _progress = progress;
        _asOf = options.AsOf;
        _historyStart = _asOf.AddYears(-3).AddDays(1);
        var managerCount = Math.Clamp(20 + (options.Counterparties / (_writers.Length * 20_000)), 20, 60);
        _context = new PlanContext(_rng, _asOf, new Identifiers(_rng, options.Seed, OrganisationPlanner.ReservedNumbers), _writers.Length, managerCount);
        _managers = new string[_writers.Length][];
        for (var i = 0; i < _writers.Length; i++)
        {
            _managers[i] = WriteUsers(_writers[i], managerCount);
            foreach (var region in Vocabulary.Regions)
            {
                _writers[i].InsertRegion(region.Code, region.Name);
            }
        }

        // Baskets draw from a stream of their own: the rows of a seed are the same with or without them.
        _baskets = new Baskets(options.Seed);
        foreach (var writer in _writers)
        {
            foreach (var product in _baskets.Products)
            {
                writer.InsertProduct(product, Iso(_historyStart.AddDays(-30)) + " 09:00:00");
            }
        }

        // The order of construction is the order of draws: the organisations' business centres come after the users.
        _entityRows = new EntityRows(_context);
        _organisations = new OrganisationPlanner(_context, _entityRows);
        _soleProprietors = new SoleProprietorPlanner(_context, _entityRows);
        _foreignFirms = new ForeignFirmPlanner(_context, _entityRows);
        _groups = new GroupPlanner(_context, _organisations);
    }

    public void Run(CancellationToken cancellationToken)
    {
        var total = _options.Counterparties;
        var remaining = total;
        var rows = new List<PlannedRow>(ComplexClientMaxRows);
        _truth.Write("ledger,ledger_id,legal_entity,client,role,inn_valid\n");
        while (remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows.Clear();
            PlanClient(rows, complex: remaining >= ComplexClientMaxRows);
            remaining -= rows.Count;
            foreach (var row in rows)
            {
                if (row.Role is "duplicate" or "branch")
                {
                    _deferred.Add(row);
                }
                else
                {
                    Write(row);
                }
            }

            while (_deferred.Count > DeferredPoolSize)
            {
                WriteDeferred();
            }
        }

        while (_deferred.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WriteDeferred();
        }

        foreach (var writer in _writers)
        {
            writer.InsertRates(_historyStart, _asOf);
        }

        _progress?.Report(new SampleProgress("counterparties", _written, total));
    }

    /// <summary>The planted co-purchase pairs.</summary>
    public IReadOnlyList<PlantedPair> PlantedPairs => _baskets.Planted;

    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer.Dispose();
        }
    }

    private void PlanClient(List<PlannedRow> rows, bool complex)
    {
        var ledger = _context.PickLedger();
        var roll = _rng.NextDouble();
        var entities = new List<Entity>(4);
        if (complex && roll < 0.05)
        {
            _groups.Plan(rows, entities, _context.NewClient(EntityKind.Organisation), ledger);
        }
        else if (roll < 0.20)
        {
            entities.Add(_soleProprietors.Plan(rows, _context.NewClient(EntityKind.SoleProprietor), ledger, complex));
        }
        else if (roll < 0.22)
        {
            entities.Add(_foreignFirms.Plan(rows, _context.NewClient(EntityKind.Foreign), ledger, complex));
        }
        else
        {
            var valid = roll >= 0.27;
            entities.Add(_organisations.Plan(rows, _context.NewClient(EntityKind.Organisation), ledger, "head", null, valid, complex, null));
        }

        if (complex && _writers.Length > 1 && _rng.Chance(0.15))
        {
            var other = (ledger + 1 + _rng.Next(_writers.Length - 1)) % _writers.Length;
            rows.Add(_entityRows.Duplicate(entities[0], other, inAnotherLedger: true));
            if (entities.Count > 1 && _rng.Chance(0.5))
            {
                rows.Add(_entityRows.Duplicate(entities[1], other, inAnotherLedger: true));
            }
        }
    }

    private static string Dotted(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private string Stamp(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{Iso(date)} {_rng.Next(8, 20):00}:{_rng.Next(60):00}:{_rng.Next(60):00}");

    private string[] WriteUsers(LedgerWriter writer, int count)
    {
        var references = new string[count];
        for (var i = 0; i < count; i++)
        {
            references[i] = Guid();
            writer.InsertUser(references[i], _context.NewPerson().Full, _rng.Chance(0.15), Stamp(_historyStart.AddDays(-_rng.Next(1000))));
        }

        writer.InsertUser(Guid(), "Администратор", false, Stamp(_historyStart.AddDays(-1200)));
        return references;
    }

    private string Guid()
    {
        var a = _rng.NextUInt64();
        var b = _rng.NextUInt64();
        var hex = string.Create(CultureInfo.InvariantCulture, $"{a:x16}{b:x16}");
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private void WriteDeferred()
    {
        var index = _rng.Next(_deferred.Count);
        var row = _deferred[index];
        _deferred[index] = _deferred[^1];
        _deferred.RemoveAt(_deferred.Count - 1);
        Write(row);
    }

    private void Write(PlannedRow row)
    {
        var writer = _writers[row.Ledger];
        var code = writer.NextCode();
        row.Code = code;
        var manager = row.Manager >= 0 ? _managers[row.Ledger][row.Manager] : null;
        var parentCode = row.Parent is null ? null : row.Parent.Code ?? throw new InvalidOperationException("A parent row must be written before its children.");
        writer.InsertCounterparty(new CounterpartyRecord(
            code, row.Name, row.Inn, row.Kpp, row.Ogrn, parentCode, row.Address, row.City, row.RegionCode, row.Country,
            row.Phone, row.Email, row.Website, manager, row.Birthday is { } b ? Dotted(b) : null,
            Stamp(row.Created.AddDays(_rng.Next(_asOf.DayNumber - row.Created.DayNumber + 1)))));
        _truth.Write(string.Create(
            CultureInfo.InvariantCulture,
            $"{writer.Name},{code.TrimEnd()},{row.LegalEntity},{row.Client.Id},{row.Role},{(row.InnValid ? "true" : "false")}\n"));
        foreach (var contact in row.Contacts)
        {
            writer.InsertContact(
                code, contact.Person, contact.Position, contact.Email, contact.Phone,
                contact.Birthday is { } cb ? Dotted(cb) : null, Stamp(row.Created.AddDays(_rng.Next(_asOf.DayNumber - row.Created.DayNumber + 1))));
        }

        WriteDocuments(row, writer, code, manager);
        _written++;
        if (_progress is not null && _written % Math.Max(1, _options.Counterparties / 200) == 0)
        {
            _progress.Report(new SampleProgress("counterparties", _written, _options.Counterparties));
        }
    }

    private void WriteDocuments(PlannedRow row, LedgerWriter writer, string code, string? manager)
    {
        var client = row.Client;
        var count = _rng.Geometric(_options.InvoicesPerCounterparty * client.Activity * row.InvoiceFactor);
        if (count == 0)
        {
            return;
        }

        var start = Max(row.Created, _historyStart);
        var span = _asOf.DayNumber - start.DayNumber + 1;
        var days = new int[count];
        for (var i = 0; i < count; i++)
        {
            days[i] = start.DayNumber + _rng.Next(span);
        }

        Array.Sort(days);
        var buyer = _baskets.Begin(client.Id);
        Span<long> amounts = stackalloc long[2];
        Span<int> paidDays = stackalloc int[2];
        foreach (var day in days)
        {
            var issued = DateOnly.FromDayNumber(day);
            var kopecks = Math.Max(100L, (long)Math.Round(client.AmountScale * 1_500_000 * _rng.LogNormalFactor(0.7)));
            if (_rng.Chance(0.4))
            {
                kopecks = Math.Max(100L, kopecks / 100 * 100);
            }

            // A client invoiced in euros or dollars buys as much as one in roubles: the amount is in its currency's cents,
            // at the register's rate of the month.
            kopecks = Math.Max(100L, (long)Math.Round(kopecks / LedgerWriter.RoublesPer(client.Currency, issued)));

            var due = issued.AddDays(client.TermDays);
            var dueText = _rng.Chance(0.08) ? null : Dotted(due);
            var invoiceManager = _rng.Chance(0.85) ? manager : _managers[row.Ledger][_context.PickManager(row.Ledger)];
            if (_rng.Chance(0.01))
            {
                // An unposted draft: present in the table, skipped by the mapping, never paid.
                var draft = writer.InsertInvoice(Dotted(issued), dueText, code, kopecks, 0, client.Currency, invoiceManager, posted: false, Stamp(issued));
                writer.InsertLines(draft, _baskets.Next(buyer, kopecks), posted: false);
                continue;
            }

            var roll = _rng.NextDouble();
            double paidShare;
            if (due <= _asOf)
            {
                paidShare = roll < client.Reliability ? 1.0 : roll < client.Reliability + 0.06 ? 0.1 + (0.8 * _rng.NextDouble()) : 0;
            }
            else
            {
                paidShare = roll < 0.3 ? 1.0 : roll < 0.4 ? 0.1 + (0.8 * _rng.NextDouble()) : 0;
            }

            var parts = paidShare >= 1.0 && _rng.Chance(0.15) ? 2 : paidShare > 0 ? 1 : 0;
            var paid = (long)Math.Round(kopecks * paidShare);
            var lastPaid = issued;
            for (var i = 0; i < parts; i++)
            {
                amounts[i] = parts == 2 ? (i == 0 ? paid / 2 : paid - (paid / 2)) : paid;
                var lateness = _rng.Chance(client.Reliability) ? _rng.Next(6) : _rng.Next(5, 61);
                var date = Min(_asOf, issued.AddDays(_rng.Next(client.TermDays + 1) + lateness));
                lastPaid = Max(lastPaid, date);
                paidDays[i] = date.DayNumber;
            }

            var id = writer.InsertInvoice(Dotted(issued), dueText, code, kopecks, paid, client.Currency, invoiceManager, posted: true, Stamp(lastPaid));
            writer.InsertLines(id, _baskets.Next(buyer, kopecks), posted: true);
            for (var i = 0; i < parts; i++)
            {
                var date = DateOnly.FromDayNumber(paidDays[i]);
                writer.InsertPayment(Iso(date), code, id, amounts[i] / 100.0, client.Currency, Stamp(date));
            }

            if (_rng.Chance(0.03))
            {
                // An advance or an unallocated receipt: real ledgers have payments that reference no invoice.
                var date = Max(start, issued.AddDays(-_rng.Next(10)));
                var advance = Math.Max(100L, (long)Math.Round(kopecks * (0.1 + (0.4 * _rng.NextDouble()))));
                writer.InsertPayment(Iso(date), code, null, advance / 100.0, client.Currency, Stamp(date));
            }
        }
    }
}

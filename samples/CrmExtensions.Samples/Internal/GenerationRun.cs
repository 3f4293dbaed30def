using System.Globalization;
using System.Text;

namespace CrmExtensions.Samples.Internal;

/// <summary>One generation: plans clients, writes their rows, documents and ground truth, and keeps identifiers unique.</summary>
/// <remarks>
/// Heads are written as soon as they are planned; duplicates and branches wait in a small pool and come out in random
/// order, so that a duplicate does not sit next to its original (people enter them months apart). Memory stays bounded:
/// only the identifier registries grow with the size of the sample.
/// </remarks>
internal sealed class GenerationRun : IDisposable
{
    private const int DeferredPoolSize = 400;
    private const int ComplexClientMaxRows = 24;
    private const int SwitchboardCount = 40;
    private const int PhoneSpace = 8_000_000;

    private static readonly string[] MobileCodes = ["903", "905", "909", "912", "915", "916", "925", "926", "950", "977", "985", "999"];
    private static readonly string[] BranchCodes = ["02", "03", "04", "05", "31", "32"];
    private static readonly int[] Terms = [0, 7, 10, 14, 14, 30, 30, 30, 45, 60];

    private readonly SampleLedgerOptions _options;
    private readonly Rng _rng;
    private readonly LedgerWriter[] _writers;
    private readonly TextWriter _truth;
    private readonly IProgress<SampleProgress>? _progress;
    private readonly DateOnly _asOf;
    private readonly DateOnly _historyStart;
    private readonly double[] _ledgerCumulative;
    private readonly string[][] _managers;
    private readonly double[][] _managerCumulative;
    private readonly HashSet<long> _usedInns = [];
    private readonly HashSet<long> _usedOgrns = [];
    private readonly HashSet<string> _usedDomains = new(StringComparer.Ordinal);
    private readonly List<PlannedRow> _deferred = [];
    private readonly string[] _recentBrands = new string[512];
    private readonly Switchboard[] _switchboards;
    private readonly uint[] _phoneKeys;
    private int _recentBrandCount;
    private int _nextPhone = SwitchboardCount;
    private long _nextMail;
    private int _nextEntity;
    private int _nextClient;
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
        var keys = new Rng(~(long)options.Seed);
        _phoneKeys = [.. Enumerable.Range(0, 4).Select(_ => (uint)keys.NextUInt64())];
        _ledgerCumulative = Rng.Cumulative(Enumerable.Range(0, _writers.Length).Select(i => 1.0 / (1.0 + (0.5 * i))).ToArray());
        var managerCount = Math.Clamp(20 + (options.Counterparties / (_writers.Length * 20_000)), 20, 60);
        _managers = new string[_writers.Length][];
        _managerCumulative = new double[_writers.Length][];
        for (var i = 0; i < _writers.Length; i++)
        {
            _managers[i] = WriteUsers(_writers[i], managerCount);
            _managerCumulative[i] = Rng.Cumulative(Enumerable.Range(0, managerCount).Select(m => Math.Pow(m + 1, -0.8)).ToArray());
            foreach (var region in Vocabulary.Regions)
            {
                _writers[i].InsertRegion(region.Code, region.Name);
            }
        }

        _switchboards = new Switchboard[SwitchboardCount];
        for (var i = 0; i < SwitchboardCount; i++)
        {
            var region = PickRegion();
            var city = _rng.Pick(region.Cities);
            _switchboards[i] = new Switchboard(region, city, Permute(i), $"{Address(region, city)}, {_rng.Pick(Vocabulary.BusinessCentres)}");
        }
    }

    private enum EntityKind
    {
        Organisation,
        SoleProprietor,
        Foreign,
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

        _progress?.Report(new SampleProgress("counterparties", _written, total));
    }

    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer.Dispose();
        }
    }

    /// <summary>Maps a counter one-to-one onto seven-digit subscriber numbers 2000000–9999999 that look random.</summary>
    /// <remarks>A four-round Feistel network over 24 bits with cycle walking: numbers never repeat, so a shared number is always meant.</remarks>
    private int Permute(int counter)
    {
        if (counter >= PhoneSpace)
        {
            throw new InvalidOperationException("The sample ran out of unique phone numbers.");
        }

        var x = (uint)counter;
        do
        {
            var left = x >> 12;
            var right = x & 0xFFF;
            foreach (var key in _phoneKeys)
            {
                (left, right) = (right, left ^ (Mix(right ^ key) & 0xFFF));
            }

            x = (left << 12) | right;
        }
        while (x >= PhoneSpace);

        return (int)x + 2_000_000;
    }

    private static uint Mix(uint v)
    {
        v ^= v >> 7;
        v *= 0x9E3779B1;
        v ^= v >> 15;
        v *= 0x85EBCA77;
        return v ^ (v >> 13);
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
            writer.InsertUser(references[i], NewPerson().Full, _rng.Chance(0.15), Stamp(_historyStart.AddDays(-_rng.Next(1000))));
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

            var due = issued.AddDays(client.TermDays);
            var dueText = _rng.Chance(0.08) ? null : Dotted(due);
            var invoiceManager = _rng.Chance(0.85) ? manager : _managers[row.Ledger][PickManager(row.Ledger)];
            if (_rng.Chance(0.01))
            {
                // An unposted draft: present in the table, skipped by the mapping, never paid.
                writer.InsertInvoice(Dotted(issued), dueText, code, kopecks, 0, client.Currency, invoiceManager, posted: false, Stamp(issued));
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

    private int PickLedger() => _rng.PickWeighted(_ledgerCumulative);

    private int PickManager(int ledger) => _rng.PickWeighted(_managerCumulative[ledger]);

    private int MaybeManager(int ledger) => _rng.Chance(0.05) ? -1 : PickManager(ledger);

    private Region PickRegion() => Vocabulary.Regions[_rng.PickWeighted(Vocabulary.RegionCumulative)];

    private string CityText(City city) => _rng.Next(20) switch
    {
        < 15 => city.Name,
        < 18 => "г. " + city.Name,
        _ => city.Name.ToUpperInvariant(),
    };

    private string Address(Region region, City city)
    {
        var postcode = city.Postcode + _rng.Next(0, 1000).ToString("D3", CultureInfo.InvariantCulture);
        postcode = postcode.PadRight(6, '0')[..6];
        var builder = new StringBuilder(96);
        builder.Append(CultureInfo.InvariantCulture, $"{postcode}, ");
        if (region.Code is not ("77" or "78"))
        {
            builder.Append(region.Name).Append(", ");
        }

        builder.Append(CultureInfo.InvariantCulture, $"г. {city.Name}, {_rng.Pick(Vocabulary.StreetKinds)} {_rng.Pick(Vocabulary.Streets)}, д. {_rng.Next(1, 120)}");
        if (_rng.Chance(0.4))
        {
            builder.Append(CultureInfo.InvariantCulture, $", оф. {_rng.Next(1, 600)}");
        }

        return builder.ToString();
    }

    private string TaxOffice(Region region) =>
        region.Code + _rng.Next(1, region.TaxOffices + 1).ToString("D2", CultureInfo.InvariantCulture);

    private string NewInn10(string office)
    {
        while (true)
        {
            var inn = RussianIds.CompleteInn10(office + _rng.Next(100_000).ToString("D5", CultureInfo.InvariantCulture));
            if (_usedInns.Add(long.Parse(inn, CultureInfo.InvariantCulture)))
            {
                return inn;
            }
        }
    }

    private string NewInn12(string office)
    {
        while (true)
        {
            var inn = RussianIds.CompleteInn12(office + _rng.Next(1_000_000).ToString("D6", CultureInfo.InvariantCulture));
            if (_usedInns.Add(long.Parse(inn, CultureInfo.InvariantCulture)))
            {
                return inn;
            }
        }
    }

    private string NewOgrn(Region region, int year)
    {
        while (true)
        {
            var first = string.Create(CultureInfo.InvariantCulture, $"1{year % 100:D2}{region.Code}{_rng.Next(1, 100):D2}{_rng.Next(100_000):D5}");
            var ogrn = RussianIds.CompleteOgrn(first);
            if (_usedOgrns.Add(long.Parse(ogrn, CultureInfo.InvariantCulture)))
            {
                return ogrn;
            }
        }
    }

    private string NewOgrnip(Region region, int year)
    {
        while (true)
        {
            var first = string.Create(CultureInfo.InvariantCulture, $"3{year % 100:D2}{region.Code}{_rng.Next(1_000_000_000):D9}");
            var ogrnip = RussianIds.CompleteOgrnip(first);
            if (_usedOgrns.Add(long.Parse(ogrnip, CultureInfo.InvariantCulture)))
            {
                return ogrnip;
            }
        }
    }

    /// <summary>An INN that fails the rules in one of the ways real ledgers do, or none at all.</summary>
    private string? InvalidInn(string office)
    {
        var valid = NewInn10(office);
        switch (_rng.Next(10))
        {
            case < 4:
                var last = valid[^1] - '0';
                return valid[..^1] + (char)('0' + ((last + 1 + _rng.Next(9)) % 10));
            case 4:
                var at = _rng.Next(2, 9);
                return valid[..at] + (_rng.Chance(0.5) ? "О" : "O") + valid[(at + 1)..];
            case 5:
                return valid[..^1];
            case 6:
                return valid + _rng.Next(10).ToString(CultureInfo.InvariantCulture);
            case 7:
                return "1234567890";
            default:
                return null;
        }
    }

    private (string Code, int Number, string Text) NewLandline(City city)
    {
        var number = Permute(_nextPhone++);
        return (city.PhoneCode, number, Spelling.Phone(_rng, city.PhoneCode, number));
    }

    private string NewMobile()
    {
        var code = _rng.Pick(MobileCodes);
        return Spelling.Phone(_rng, code, Permute(_nextPhone++));
    }

    /// <summary>A free-mail address whose mailbox is unique: sharing only mail.ru must never look like evidence.</summary>
    private string NewFreeMail(string text)
    {
        var slug = Spelling.ToSlug(text);
        if (slug.Length == 0)
        {
            slug = "client";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{slug}{++_nextMail}@{_rng.Pick(Vocabulary.FreeMailDomains)}");
    }

    /// <summary>A company's own domain, never shared with another client.</summary>
    private string NewDomain(string brand, string tld, string? hint)
    {
        var slug = Spelling.ToSlug(brand);
        if (slug.Length == 0)
        {
            slug = "firm";
        }

        var candidate = $"{slug}.{tld}";
        if (_usedDomains.Add(candidate))
        {
            return candidate;
        }

        if (hint is not null)
        {
            candidate = $"{slug}-{Spelling.ToSlug(hint)}.{tld}";
            if (_usedDomains.Add(candidate))
            {
                return candidate;
            }
        }

        while (true)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{slug}{_rng.Next(2, 100_000)}.{tld}");
            if (_usedDomains.Add(candidate))
            {
                return candidate;
            }
        }
    }

    private static string Latin(string text) =>
        new string(text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());

    private PersonName NewPerson()
    {
        var female = _rng.Chance(0.45);
        var surname = _rng.Pick(Vocabulary.Surnames);
        if (female)
        {
            surname = surname.EndsWith("ий", StringComparison.Ordinal) ? surname[..^2] + "ая" : surname + "а";
        }

        var first = female ? _rng.Pick(Vocabulary.FemaleFirst) : _rng.Pick(Vocabulary.MaleFirst);
        var (male, fem) = _rng.Pick(Vocabulary.Patronymics);
        return new PersonName(surname, first, _rng.Chance(0.96) ? (female ? fem : male) : null, female);
    }

    private DateOnly AdultBirthday() => _asOf.AddDays(-_rng.Next(22 * 365, 66 * 365));

    private string NewBrand()
    {
        string Join(string a, string b) => _rng.Next(4) switch
        {
            0 => a + b,
            1 => a + b.ToLowerInvariant(),
            2 => $"{a} {b}",
            _ => $"{a}-{b}",
        };

        var roll = _rng.Next(100);
        var brand = roll switch
        {
            < 30 => Join(_rng.Pick(Vocabulary.CommonWords), _rng.Pick(Vocabulary.Suffixes)),
            < 52 => _rng.Pick(Vocabulary.RareWords),
            < 72 => Join(_rng.Pick(Vocabulary.RareWords), _rng.Pick(Vocabulary.Suffixes)),
            < 80 => _rng.Pick(Vocabulary.CommonWords),
            < 90 => string.Create(CultureInfo.InvariantCulture, $"{_rng.Pick(Vocabulary.CommonWords)}-{_rng.Next(1, 100)}"),
            _ => $"{_rng.Pick(Vocabulary.RareWords)}-{_rng.Pick(Vocabulary.RareWords)}",
        };
        _recentBrands[_recentBrandCount++ % _recentBrands.Length] = brand;
        return brand;
    }

    private ClientProfile NewClient(EntityKind kind)
    {
        var currency = "643";
        if (kind == EntityKind.Foreign)
        {
            currency = _rng.Next(10) switch
            {
                < 6 => "978",
                < 8 => "840",
                _ => "643",
            };
        }

        return new ClientProfile
        {
            Id = "C" + (++_nextClient).ToString("D7", CultureInfo.InvariantCulture),
            AmountScale = _rng.Pareto(1.3, 400),
            Activity = _rng.LogNormalFactor(0.8),
            Reliability = _rng.Chance(0.1) ? 0.45 : 0.88,
            TermDays = _rng.Pick(Terms),
            Currency = currency,
        };
    }

    private string NewEntityId() => "LE" + (++_nextEntity).ToString("D7", CultureInfo.InvariantCulture);

    private void PlanClient(List<PlannedRow> rows, bool complex)
    {
        var ledger = PickLedger();
        var roll = _rng.NextDouble();
        var entities = new List<Entity>(4);
        if (complex && roll < 0.05)
        {
            PlanGroup(rows, entities, NewClient(EntityKind.Organisation), ledger);
        }
        else if (roll < 0.20)
        {
            entities.Add(PlanSoleProprietor(rows, NewClient(EntityKind.SoleProprietor), ledger, complex));
        }
        else if (roll < 0.22)
        {
            entities.Add(PlanForeign(rows, NewClient(EntityKind.Foreign), ledger, complex));
        }
        else
        {
            var valid = roll >= 0.27;
            entities.Add(PlanOrganisation(rows, NewClient(EntityKind.Organisation), ledger, "head", null, valid, complex, null));
        }

        if (complex && _writers.Length > 1 && _rng.Chance(0.15))
        {
            var other = (ledger + 1 + _rng.Next(_writers.Length - 1)) % _writers.Length;
            rows.Add(Duplicate(entities[0], other, inAnotherLedger: true));
            if (entities.Count > 1 && _rng.Chance(0.5))
            {
                rows.Add(Duplicate(entities[1], other, inAnotherLedger: true));
            }
        }
    }

    private DateOnly NewCreated() => _asOf.AddDays(-_rng.Next(30, 8 * 365));

    private int RegistrationYear(DateOnly created) => Math.Max(2002, created.Year - _rng.Next(0, 10));

    private Entity PlanOrganisation(List<PlannedRow> rows, ClientProfile client, int ledger, string role, string? brand, bool validInn, bool extras, GroupSignals? group)
    {
        var form = Vocabulary.Forms[_rng.PickWeighted(Vocabulary.FormCumulative)];
        if (brand is null && validInn && group is null && _recentBrandCount > 0 && _rng.Chance(0.03))
        {
            // A namesake: another firm with a name already in use, elsewhere, with nothing else in common.
            brand = _recentBrands[_rng.Next(Math.Min(_recentBrandCount, _recentBrands.Length))];
        }

        brand ??= NewBrand();
        var switchboard = validInn && group is null && _rng.Chance(0.04) ? _rng.Pick(_switchboards) : null;
        var region = switchboard?.Region ?? PickRegion();
        var city = switchboard?.City ?? _rng.Pick(region.Cities);
        var office = TaxOffice(region);
        var created = NewCreated();
        var e = new Entity
        {
            Id = NewEntityId(),
            Kind = EntityKind.Organisation,
            Client = client,
            Ledger = ledger,
            Form = form,
            Brand = brand,
            Region = region,
            City = city,
            Created = created,
            InnValid = validInn,
        };
        if (validInn)
        {
            e.Inn = NewInn10(office);
            e.Kpp = office + "01" + (_rng.Chance(0.9) ? "001" : "002");
            e.Ogrn = NewOgrn(region, RegistrationYear(created));
        }
        else
        {
            e.Inn = InvalidInn(office);
        }

        if (switchboard is not null)
        {
            e.Address = $"{switchboard.Address}, оф. {_rng.Next(100, 1000)}";
            e.PhoneText = string.Create(CultureInfo.InvariantCulture, $"{Spelling.Phone(_rng, city.PhoneCode, switchboard.Number)} доб. {_rng.Next(100, 1000)}");
        }
        else
        {
            e.Address = Address(region, city);
            (e.PhoneCode, e.PhoneNumber, e.PhoneText) = NewLandline(city);
        }

        var mail = _rng.Next(100);
        if (group?.Domain is { } groupDomain)
        {
            e.Domain = groupDomain;
            e.Email = $"{_rng.Pick(Vocabulary.MailBoxes)}@{groupDomain}";
        }
        else if (mail < 45)
        {
            e.Domain = NewDomain(brand, "ru", city.Name);
            e.Email = $"{_rng.Pick(Vocabulary.MailBoxes)}@{e.Domain}";
        }
        else if (mail < 75 || !validInn)
        {
            e.Email = NewFreeMail(brand);
        }

        if (group?.Phone is { } groupPhone)
        {
            (e.PhoneCode, e.PhoneNumber) = (groupPhone.Code, groupPhone.Number);
            e.PhoneText = Spelling.Phone(_rng, groupPhone.Code, groupPhone.Number);
        }

        var head = new PlannedRow
        {
            Ledger = ledger,
            Name = Spelling.CanonicalOrganisation(_rng, form, brand),
            Inn = e.Inn,
            InnValid = validInn,
            Kpp = e.Kpp is not null && _rng.Chance(0.92) ? e.Kpp : null,
            Ogrn = e.Ogrn is not null && _rng.Chance(0.75) ? e.Ogrn : null,
            Parent = group?.Parent,
            Address = e.Address,
            City = CityText(city),
            RegionCode = region.Code,
            Country = _rng.Chance(0.6) ? "Россия" : null,
            // Without a valid INN the phone is the evidence a duplicate needs: it is always there.
            Phone = !validInn || group?.Phone is not null || _rng.Chance(0.92) ? e.PhoneText : null,
            Email = e.Email,
            Website = e.Domain is not null && _rng.Chance(0.6) ? (_rng.Chance(0.5) ? "www." + e.Domain : "https://" + e.Domain) : null,
            LegalEntity = e.Id,
            Role = role,
            Client = client,
            Created = created,
            InvoiceFactor = 1.16,
            Manager = MaybeManager(ledger),
        };
        AddContacts(head, e, _rng.Next(100) switch { < 25 => 0, < 65 => 1, < 90 => 2, _ => 3 });
        if (group?.Director is { } director)
        {
            head.Contacts.Add(director);
        }

        e.Head = head;
        rows.Add(head);
        if (extras)
        {
            var maxExtra = group is null ? 2 : 1;
            var duplicates = _rng.Chance(validInn ? 0.10 : 0.15) ? 1 + (_rng.Chance(0.25) ? 1 : 0) : 0;
            for (var i = 0; i < Math.Min(duplicates, maxExtra); i++)
            {
                rows.Add(Duplicate(e, ledger, inAnotherLedger: false));
            }

            if (validInn && _rng.Chance(group is null ? 0.06 : 0.04))
            {
                var branches = 1 + _rng.Next(group is null ? 3 : 1);
                for (var i = 0; i < branches; i++)
                {
                    rows.Add(Branch(e));
                }
            }
        }

        return e;
    }

    private Entity PlanSoleProprietor(List<PlannedRow> rows, ClientProfile client, int ledger, bool extras)
    {
        var region = PickRegion();
        var city = _rng.Pick(region.Cities);
        var person = NewPerson();
        var created = NewCreated();
        var e = new Entity
        {
            Id = NewEntityId(),
            Kind = EntityKind.SoleProprietor,
            Client = client,
            Ledger = ledger,
            Person = person,
            Brand = person.Full,
            Region = region,
            City = city,
            Created = created,
            InnValid = true,
            Inn = NewInn12(TaxOffice(region)),
            Ogrn = NewOgrnip(region, RegistrationYear(created)),
            Address = Address(region, city),
            PhoneText = NewMobile(),
            Email = _rng.Chance(0.6) ? NewFreeMail(person.Surname) : null,
        };
        var head = new PlannedRow
        {
            Ledger = ledger,
            Name = Spelling.CanonicalSoleProprietor(_rng, person),
            Inn = e.Inn,
            InnValid = true,
            Ogrn = _rng.Chance(0.7) ? e.Ogrn : null,
            Address = e.Address,
            City = CityText(city),
            RegionCode = region.Code,
            Country = _rng.Chance(0.6) ? "Россия" : null,
            Phone = _rng.Chance(0.9) ? e.PhoneText : null,
            Email = e.Email,
            Birthday = _rng.Chance(0.5) ? AdultBirthday() : null,
            LegalEntity = e.Id,
            Role = "sole_proprietor",
            Client = client,
            Created = created,
            InvoiceFactor = 1.16,
            Manager = MaybeManager(ledger),
        };
        AddContacts(head, e, _rng.Chance(0.3) ? 1 : 0);
        e.Head = head;
        rows.Add(head);
        if (extras && _rng.Chance(0.08))
        {
            rows.Add(Duplicate(e, ledger, inAnotherLedger: false));
        }

        return e;
    }

    private Entity PlanForeign(List<PlannedRow> rows, ClientProfile client, int ledger, bool extras)
    {
        var form = _rng.Pick(Vocabulary.ForeignForms);
        var word = _rng.Pick(Vocabulary.ForeignWords);
        var trade = _rng.Pick(Vocabulary.ForeignTrades);
        var sons = _rng.Chance(0.2);
        if (sons)
        {
            (word, trade) = (_rng.Pick(Vocabulary.ForeignSurnames), "Sons");
        }

        var name = sons ? $"{word} & Sons {form.Suffix}" : _rng.Chance(0.15) ? $"{word} {trade}, {form.Suffix}" : $"{word} {trade} {form.Suffix}";
        var unique = Permute(_nextPhone++);
        var domain = NewDomain(Latin($"{word}-{trade}"), form.Tld, form.Country);
        var created = NewCreated();
        var city = _rng.Pick(form.Cities);
        var e = new Entity
        {
            Id = NewEntityId(),
            Kind = EntityKind.Foreign,
            Client = client,
            Ledger = ledger,
            Brand = name,
            Created = created,
            InnValid = false,
            // Foreign firms sometimes have their VAT number typed into the INN field.
            Inn = form.VatPrefix is not null && _rng.Chance(0.3) ? string.Create(CultureInfo.InvariantCulture, $"{form.VatPrefix}{unique:D7}{_rng.Next(100):D2}") : null,
            PhoneText = string.Create(CultureInfo.InvariantCulture, $"{form.PhonePrefix} {_rng.Next(20, 90)} {unique:D7}"),
            Email = $"{_rng.Pick(["info", "sales", "office", "orders"])}@{domain}",
            Domain = domain,
            Address = string.Create(CultureInfo.InvariantCulture, $"{form.Street} {_rng.Next(1, 200)}, {city}"),
            ForeignCity = city,
            Country = form.Country,
        };
        var head = new PlannedRow
        {
            Ledger = ledger,
            Name = name,
            Inn = e.Inn,
            InnValid = false,
            Address = e.Address,
            City = e.ForeignCity,
            Country = form.Country,
            Phone = e.PhoneText,
            Email = e.Email,
            Website = _rng.Chance(0.5) ? "www." + domain : null,
            LegalEntity = e.Id,
            Role = "foreign",
            Client = client,
            Created = created,
            InvoiceFactor = 1.16,
            Manager = MaybeManager(ledger),
        };
        if (_rng.Chance(0.5))
        {
            var person = new PersonName(_rng.Pick(Vocabulary.ForeignSurnames), _rng.Pick(Vocabulary.ForeignFirstNames), null, false);
            head.Contacts.Add(new ContactPlan(person, _rng.Chance(0.5) ? "Sales manager" : null, $"{Spelling.ToSlug(person.Surname)}@{domain}", null, null));
        }

        e.Head = head;
        rows.Add(head);
        if (extras && _rng.Chance(0.15))
        {
            rows.Add(Duplicate(e, ledger, inAnotherLedger: false));
        }

        return e;
    }

    /// <summary>A group of companies: different INNs, one client, tied by at least two signals the engine can see.</summary>
    private void PlanGroup(List<PlannedRow> rows, List<Entity> entities, ClientProfile client, int ledger)
    {
        var size = _rng.Next(100) switch
        {
            < 50 => 2,
            < 75 => 3,
            < 90 => 4,
            _ => 5,
        };
        var groupBrand = NewBrand();
        var signals = new List<string> { "domain", "phone", "director", "parent" };
        for (var i = signals.Count - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (signals[i], signals[j]) = (signals[j], signals[i]);
        }

        var chosen = signals.Take(2 + (_rng.Chance(0.4) ? 1 : 0)).ToHashSet();
        var region = PickRegion();
        var city = _rng.Pick(region.Cities);
        string? domain = chosen.Contains("domain") ? NewDomain(groupBrand + (_rng.Chance(0.5) ? " групп" : string.Empty), "ru", city.Name) : null;
        (string Code, int Number)? phone = null;
        if (chosen.Contains("phone"))
        {
            var (code, number, _) = NewLandline(city);
            phone = (code, number);
        }

        ContactPlan? director = null;
        if (chosen.Contains("director"))
        {
            var person = NewPerson();
            var email = domain is not null ? $"{Spelling.ToSlug(person.Surname)}@{domain}" : NewFreeMail(person.Surname);
            director = new ContactPlan(person, _rng.Chance(0.7) ? "Генеральный директор" : "Директор", email, NewMobile(), _rng.Chance(0.7) ? AdultBirthday() : null);
        }

        PlannedRow? parent = null;
        for (var i = 0; i < size; i++)
        {
            var brand = i == 0 ? groupBrand : _rng.Next(10) switch
            {
                < 4 => $"{groupBrand} {_rng.Pick(Vocabulary.Suffixes)}",
                < 6 => $"{groupBrand}-{_rng.Pick(Vocabulary.Suffixes)}",
                _ => NewBrand(),
            };
            var signalsHere = new GroupSignals(domain, phone, director, i > 0 && chosen.Contains("parent") ? parent : null);
            var entity = PlanOrganisation(rows, client, ledger, i == 0 ? "head" : "group_member", brand, validInn: true, extras: true, signalsHere);
            parent ??= entity.Head;
            entities.Add(entity);
        }
    }

    private void AddContacts(PlannedRow row, Entity e, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var person = NewPerson();
            var position = i == 0 && _rng.Chance(0.5) ? (_rng.Chance(0.6) ? "Генеральный директор" : "Главный бухгалтер")
                : _rng.Chance(0.85) ? _rng.Pick(Vocabulary.Positions) : null;
            var mail = _rng.Next(100);
            var email = e.Domain is not null && mail < 55
                ? $"{Spelling.ToSlug(person.Surname)}{(_rng.Chance(0.5) ? "." + Spelling.ToSlug(person.First[..1]) : string.Empty)}@{e.Domain}"
                : mail < 80 ? NewFreeMail(person.Surname) : null;
            row.Contacts.Add(new ContactPlan(person, position, email, _rng.Chance(0.6) ? NewMobile() : null, _rng.Chance(0.55) ? AdultBirthday() : null));
        }
    }

    /// <summary>The same legal entity entered again: in the same ledger, or as its own row in another regional ledger.</summary>
    private PlannedRow Duplicate(Entity e, int ledger, bool inAnotherLedger)
    {
        // Without a valid INN only a close name plus the same phone (and mail) can tell; with one, anything goes.
        var strict = !e.InnValid;
        var name = e.Kind switch
        {
            EntityKind.SoleProprietor => Spelling.VariantSoleProprietor(_rng, e.Person!),
            EntityKind.Foreign => Spelling.VariantForeign(_rng, e.Brand),
            _ => Spelling.VariantOrganisation(_rng, e.Form!, e.Brand, close: strict),
        };
        string? phone;
        if (e.PhoneNumber is { } number && (strict || _rng.Chance(0.6)))
        {
            phone = Spelling.Phone(_rng, e.PhoneCode!, number);
        }
        else
        {
            phone = strict || _rng.Chance(0.5) ? e.PhoneText : null;
        }

        var created = e.Created.AddDays(_rng.Next(_asOf.DayNumber - e.Created.DayNumber + 1));
        var row = new PlannedRow
        {
            Ledger = ledger,
            Name = name,
            Inn = e.InnValid || _rng.Chance(0.6) ? e.Inn : null,
            InnValid = e.InnValid,
            Kpp = e.Kpp is not null && _rng.Chance(0.5) ? e.Kpp : null,
            Ogrn = e.Ogrn is not null && _rng.Chance(0.4) ? e.Ogrn : null,
            Address = _rng.Chance(0.5) ? e.Address : null,
            City = e.Kind == EntityKind.Foreign ? e.ForeignCity : CityText(e.City!),
            RegionCode = e.Region?.Code,
            Country = e.Kind == EntityKind.Foreign ? e.Country : (_rng.Chance(0.5) ? "Россия" : null),
            Phone = phone,
            Email = strict || _rng.Chance(0.5) ? e.Email : null,
            LegalEntity = e.Id,
            Role = "duplicate",
            Client = e.Client,
            Created = created,
            InvoiceFactor = inAnotherLedger ? 0.8 : 0.5,
            Manager = !inAnotherLedger && _rng.Chance(0.6) ? e.Head!.Manager : MaybeManager(ledger),
        };
        if (inAnotherLedger || _rng.Chance(0.3))
        {
            AddContacts(row, e, _rng.Chance(0.5) ? 1 : 0);
        }

        return row;
    }

    private PlannedRow Branch(Entity e)
    {
        var region = PickRegion();
        for (var i = 0; i < 3 && region == e.Region; i++)
        {
            region = PickRegion();
        }

        var city = _rng.Pick(region.Cities);
        var row = new PlannedRow
        {
            Ledger = e.Ledger,
            Name = Spelling.BranchName(_rng, e.Form!, e.Brand, city.Name),
            Inn = e.Inn,
            InnValid = true,
            Kpp = TaxOffice(region) + _rng.Pick(BranchCodes) + "001",
            Ogrn = _rng.Chance(0.4) ? e.Ogrn : null,
            Parent = _rng.Chance(0.6) ? e.Head : null,
            Address = Address(region, city),
            City = CityText(city),
            RegionCode = region.Code,
            Country = _rng.Chance(0.6) ? "Россия" : null,
            Phone = NewLandline(city).Text,
            Email = e.Domain is not null && _rng.Chance(0.6) ? $"{Spelling.ToSlug(city.Name)}@{e.Domain}" : null,
            LegalEntity = e.Id,
            Role = "branch",
            Client = e.Client,
            Created = e.Created.AddDays(_rng.Next(_asOf.DayNumber - e.Created.DayNumber + 1)),
            InvoiceFactor = 0.8,
            Manager = MaybeManager(e.Ledger),
        };
        AddContacts(row, e, _rng.Chance(0.4) ? 1 : 0);
        return row;
    }

    private sealed record Switchboard(Region Region, City City, int Number, string Address);

    private sealed record GroupSignals(string? Domain, (string Code, int Number)? Phone, ContactPlan? Director, PlannedRow? Parent);

    private sealed class Entity
    {
        public required string Id { get; init; }

        public required EntityKind Kind { get; init; }

        public required ClientProfile Client { get; init; }

        public required int Ledger { get; init; }

        public LegalForm? Form { get; init; }

        public required string Brand { get; init; }

        public PersonName? Person { get; init; }

        public Region? Region { get; init; }

        public City? City { get; init; }

        public string? ForeignCity { get; init; }

        public string? Country { get; init; }

        public required DateOnly Created { get; init; }

        public required bool InnValid { get; init; }

        public string? Inn { get; set; }

        public string? Kpp { get; set; }

        public string? Ogrn { get; set; }

        public string? Address { get; set; }

        public string? PhoneCode { get; set; }

        public int? PhoneNumber { get; set; }

        public string? PhoneText { get; set; }

        public string? Email { get; set; }

        public string? Domain { get; set; }

        public PlannedRow? Head { get; set; }
    }
}

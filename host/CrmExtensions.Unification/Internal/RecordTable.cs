using System.Globalization;
using CrmExtensions.Unification.Identifiers;
using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Internal;

/// <summary>The normalised input: one struct per accepted row, the string pool and token frequencies.</summary>
internal sealed class RecordTable
{
    // Small enough that a chunk's intermediate strings die young instead of being promoted before they are interned.
    private const int ChunkSize = 1 << 11;

    // Added to a 12-digit INN's number, so a 10-digit and a 12-digit INN with leading zeros never meet as one number.
    private const long TwelveDigitInn = 10_000_000_000_000L;

    private RecordTable(RowText[] rows, NormalizedRecord[] records, StringPool pool, int[] nameDf, int[] addressDf, int[] cityDf)
    {
        CityIdf = Idf(cityDf, records.Length);
        Rows = rows;
        Records = records;
        Pool = pool;
        NameDf = nameDf;
        AddressDf = addressDf;
        NameIdf = Idf(nameDf, records.Length);
        AddressIdf = Idf(addressDf, records.Length);
    }

    /// <summary>What the result and the explanations show of each row; the rest of the input is not kept.</summary>
    public RowText[] Rows { get; }

    public NormalizedRecord[] Records { get; }

    public StringPool Pool { get; }

    public int[] NameDf { get; }

    public int[] AddressDf { get; }

    /// <summary>How many rows carry each whole name (by its key): the term frequency of an exact name match.</summary>
    public int[] NameKeyCount { get; private init; } = [];

    /// <summary>Per whole name (by its key), whether rows of two or more different valid INNs carry it: the ledger itself
    /// shows the name is shared by several firms, not one firm typed many times.</summary>
    public bool[] NameKeyShared { get; private init; } = [];

    /// <summary>Per row, how many rows carry the same set of address words (0 without an address).</summary>
    public int[] AddressCount { get; private init; } = [];

    /// <summary>Per row, how many rows carry its phone (0 without one): the term frequency of a phone match.</summary>
    public int[] PhoneCount { get; private init; } = [];

    public float[] NameIdf { get; }

    public float[] AddressIdf { get; }

    public float[] CityIdf { get; }

    public Dictionary<MemberKey, int> IndexByKey { get; private set; } = [];

    /// <summary>Drops the lookups only building the table and resolving decisions need.</summary>
    public void DropLookups()
    {
        IndexByKey = [];
        Pool.Seal();
    }

    public int Count => Records.Length;

    /// <summary>Lets go of what only comparing and explaining pairs read: each row's address words and directors, and the
    /// text of its identifiers (the result shows an INN from its parsed number, <see cref="InnText"/>, and a KPP from the
    /// pool). At a million rows that is a few hundred MiB the result no longer needs to be built beside.</summary>
    public void DropComparisonData()
    {
        for (var i = 0; i < Records.Length; i++)
        {
            Records[i].Address = [];
            Records[i].Directors = [];
            Rows[i] = Rows[i] with { TaxId = null, BranchCode = null, RegistrationNumber = null };
        }
    }

    /// <summary>A row's valid INN as its 10 or 12 digits, from the number it was parsed into.</summary>
    public string InnText(int i)
    {
        var inn = Records[i].Inn;
        return inn >= TwelveDigitInn
            ? (inn - TwelveDigitInn).ToString("D12", CultureInfo.InvariantCulture)
            : inn.ToString("D10", CultureInfo.InvariantCulture);
    }

    /// <summary>Normalises the rows as they come: a chunk is read while the one before is normalised on the other cores, and
    /// only what the table keeps of a row outlives its chunk, so a caller that streams its rows never holds them all.</summary>
    /// <param name="input">The rows, enumerated once; a collection's count sizes the table up front (a count that turns out
    /// wrong costs a copy, not a row).</param>
    public static RecordTable Build(IEnumerable<Counterparty> input, List<InputIssue> issues, ParallelOptions parallel)
    {
        var capacity = input is IReadOnlyCollection<Counterparty> collection ? collection.Count
            : input.TryGetNonEnumeratedCount(out var known) ? known : ChunkSize;
        var index = new Dictionary<MemberKey, int>(capacity);
        var records = new NormalizedRecord[capacity];
        var text = new RowText[capacity];
        var parents = new List<(int Row, string Parent)>();
        var count = 0;
        var pool = new StringPool();
        var places = new PlaceCache();
        var cityTokens = new Dictionary<int, int[]>();
        // Two chunks in flight: the next one is read and then normalised on the other threads while this one is interned.
        Counterparty[][] chunks = [new Counterparty[ChunkSize], new Counterparty[ChunkSize]];
        MemberKey[][] keys = [new MemberKey[ChunkSize], new MemberKey[ChunkSize]];
        Raw[][] buffers = [new Raw[ChunkSize], new Raw[ChunkSize]];
        using var source = input.GetEnumerator();

        // Reads the next chunk's accepted rows, numbered from <first>, into its buffer: the first of each key is kept, a
        // repeat is an issue.
        int Read(int chunk, int first)
        {
            var (rows, rowKeys) = (chunks[chunk % 2], keys[chunk % 2]);
            var n = 0;
            while (n < ChunkSize && source.MoveNext())
            {
                ArgumentNullException.ThrowIfNull(source.Current);
                var row = IdentifierText.FromName(IdentifierText.SplitInnAndKpp(source.Current));
                var key = new MemberKey(row.Ledger ?? string.Empty, (row.LedgerId ?? string.Empty).Trim());
                if (!index.TryAdd(key, first + n))
                {
                    issues.Add(new InputIssue(key, IssueKind.DuplicateKey, $"row {key} appears more than once; the first is used"));
                    continue;
                }

                (rows[n], rowKeys[n]) = (row, key);
                n++;
            }

            return n;
        }

        Task Normalise(int chunk, int n)
        {
            var (rows, buffer) = (chunks[chunk % 2], buffers[chunk % 2]);
            return Task.Run(() => Parallel.For(0, n, parallel, i => buffer[i] = Raw.From(rows[i], places)));
        }

        var size = Read(0, 0);
        var pending = size > 0 ? Normalise(0, size) : Task.CompletedTask;
        for (var chunk = 0; size > 0; chunk++)
        {
            var next = Read(chunk + 1, count + size);
            pending.GetAwaiter().GetResult();
            if (next > 0)
            {
                pending = Normalise(chunk + 1, next);
            }

            if (count + size > records.Length)
            {
                var grown = Math.Max(count + size, records.Length * 2);
                Array.Resize(ref records, grown);
                Array.Resize(ref text, grown);
            }

            // Interning is sequential so ids, and with them every later order, do not depend on thread timing.
            var (rows, rowKeys, raw) = (chunks[chunk % 2], keys[chunk % 2], buffers[chunk % 2]);
            for (var i = 0; i < size; i++)
            {
                var row = rows[i];
                records[count] = raw[i].Intern(pool, cityTokens);
                // Only what is shown later is kept: addresses, phones and mail of a million rows are not.
                text[count] = new RowText(rowKeys[i].Ledger, rowKeys[i].LedgerId, row.Name, row.TaxId, row.BranchCode,
                    row.RegistrationNumber, row.City, row.Region);
                if (row.ParentLedgerId?.Trim() is { Length: > 0 } parent)
                {
                    parents.Add((count, parent));
                }

                (rows[i], raw[i]) = (null!, default);
                count++;
            }

            size = next;
        }

        if (count < records.Length)
        {
            Array.Resize(ref records, count);
            Array.Resize(ref text, count);
        }

        var nameDf = new int[pool.Count];
        var nameKeyCount = new int[pool.Count];
        var addressDf = new int[pool.Count];
        var cityDf = new int[pool.Count];
        foreach (ref readonly var r in records.AsSpan())
        {
            foreach (var t in r.Name)
            {
                nameDf[t]++;
            }

            if (r.NameKey >= 0)
            {
                nameKeyCount[r.NameKey]++;
            }

            foreach (var t in r.Address)
            {
                addressDf[t]++;
            }

            foreach (var t in r.CityTokens)
            {
                cityDf[t]++;
            }
        }

        var table = new RecordTable(text, records, pool, nameDf, addressDf, cityDf) { IndexByKey = index, NameKeyCount = nameKeyCount, NameKeyShared = SharedNames(records, pool.Count), AddressCount = CountAddresses(records), PhoneCount = CountPhones(records) };
        table.ResolveParents(parents, issues);
        table.ReportInvalid(issues);
        return table;
    }

    private static bool[] SharedNames(NormalizedRecord[] records, int keys)
    {
        var firstInn = new long[keys];
        var shared = new bool[keys];
        foreach (var r in records)
        {
            if (r.Name.Length == 0 || !r.HasValidInn)
            {
                continue;
            }

            if (firstInn[r.NameKey] == 0)
            {
                firstInn[r.NameKey] = r.Inn;
            }
            else if (firstInn[r.NameKey] != r.Inn)
            {
                shared[r.NameKey] = true;
            }
        }

        return shared;
    }

    private static int[] CountPhones(NormalizedRecord[] records)
    {
        var counts = new Dictionary<int, int>();
        foreach (var r in records)
        {
            if (r.Phone >= 0)
            {
                counts[r.Phone] = counts.GetValueOrDefault(r.Phone) + 1;
            }
        }

        return records.Select(r => r.Phone < 0 ? 0 : counts[r.Phone]).ToArray();
    }

    /// <summary>What an exact address agreement (and its term frequency) counts by: a hash of the address's word ids,
    /// sorted (word ids are interned, so the sorted ids are the address's key).</summary>
    public static long AddressKey(int[] address)
    {
        var sorted = (int[])address.Clone();
        Array.Sort(sorted);
        var h = 17L;
        foreach (var t in sorted)
        {
            h = (h * 1_000_003L) ^ t;
        }

        return h;
    }

    private static int[] CountAddresses(NormalizedRecord[] records)
    {
        var hashes = new long[records.Length];
        var counts = new Dictionary<long, int>();
        for (var i = 0; i < records.Length; i++)
        {
            if (records[i].Address.Length == 0)
            {
                continue;
            }

            var h = AddressKey(records[i].Address);
            hashes[i] = h;
            counts[h] = counts.GetValueOrDefault(h) + 1;
        }

        var result = new int[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            result[i] = records[i].Address.Length == 0 ? 0 : counts[hashes[i]];
        }

        return result;
    }

    public MemberKey KeyOf(int i) => new(Rows[i].Ledger, Rows[i].LedgerId);

    private void ResolveParents(List<(int Row, string Parent)> parents, List<InputIssue> issues)
    {
        foreach (var (i, parent) in parents)
        {
            if (IndexByKey.TryGetValue(new MemberKey(Rows[i].Ledger, parent), out var p))
            {
                Records[i].Parent = p;
            }
            else
            {
                issues.Add(new InputIssue(KeyOf(i), IssueKind.UnknownParent, $"parent_ledger_id '{parent}' is not a row of ledger '{Rows[i].Ledger}'"));
            }
        }
    }

    private void ReportInvalid(List<InputIssue> issues)
    {
        for (var i = 0; i < Rows.Length; i++)
        {
            ref readonly var r = ref Records[i];
            var row = Rows[i];
            if (r.Name.Length == 0)
            {
                var detail = string.IsNullOrWhiteSpace(row.Name)
                    ? "name is empty"
                    : $"name '{row.Name}' has nothing left once legal form, punctuation and symbols are removed";
                issues.Add(new InputIssue(KeyOf(i), IssueKind.EmptyName, detail));
            }

            if (r.InnKind == InnKind.Invalid)
            {
                issues.Add(new InputIssue(KeyOf(i), IssueKind.InvalidTaxId, $"INN '{row.TaxId}' is not 10 or 12 digits with valid check digits; not used as evidence"));
            }

            if (r.KppReason == KppReason.Invalid)
            {
                issues.Add(new InputIssue(KeyOf(i), IssueKind.InvalidBranchCode, $"KPP '{row.BranchCode}' is not of the form NNNNPPXXX; ignored"));
            }

            if (r.OgrnKind == OgrnKind.Invalid)
            {
                issues.Add(new InputIssue(KeyOf(i), IssueKind.InvalidRegistrationNumber, $"OGRN '{row.RegistrationNumber}' is not 13 or 15 digits with a valid check digit; not used as evidence"));
            }
        }
    }

    /// <summary>A name's key: its key words in order, so that word order does not matter; a single word is its own key.</summary>
    private static string SortedKey(string[] tokens)
    {
        if (tokens.Length == 1)
        {
            return tokens[0];
        }

        var copy = (string[])tokens.Clone();
        Array.Sort(copy, StringComparer.Ordinal);
        return string.Join(' ', copy);
    }

    private static float[] Idf(int[] df, int n)
    {
        var idf = new float[df.Length];
        for (var i = 0; i < df.Length; i++)
        {
            idf[i] = df[i] == 0 ? 0f : (float)Math.Log(1.0 + ((double)n / df[i]));
        }

        return idf;
    }

    /// <summary>Normalised cities and regions by their raw text: a million rows name a few thousand places.</summary>
    private sealed class PlaceCache
    {
        // Junk in a place column could make every value distinct; past this size the cache stops growing.
        private const int MaxEntries = 200_000;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string[] Tokens, string? Joined)> _cache = new(StringComparer.Ordinal);
        private int _count;

        public (string[] Tokens, string? Joined) Get(string? text)
        {
            if (text is null)
            {
                return ([], null);
            }

            if (_cache.TryGetValue(text, out var hit))
            {
                return hit;
            }

            var tokens = AddressNormalizer.Normalize(text);
            var value = (tokens, tokens.Length == 0 ? null : string.Join(' ', tokens));
            // ConcurrentDictionary.Count takes every lock; a counter of our own does not.
            if (Volatile.Read(ref _count) < MaxEntries && _cache.TryAdd(text, value))
            {
                Interlocked.Increment(ref _count);
            }

            return value;
        }
    }

    /// <summary>Per-row strings produced in parallel, before interning.</summary>
    private readonly struct Raw
    {
        private readonly NormalizedName _name;
        private readonly string? _nameKey;
        private readonly string[] _address;
        private readonly string[] _city;
        private readonly string? _cityKey;
        private readonly string? _region;
        private readonly string? _country;
        private readonly long _inn;
        private readonly InnKind _innKind;
        private readonly long _ogrn;
        private readonly OgrnKind _ogrnKind;
        private readonly string? _kpp;
        private readonly KppReason _kppReason;
        private readonly string? _phone;
        private readonly string? _email;
        private readonly string? _emailDomain;
        private readonly string? _web;
        private readonly string[] _directors;
        private readonly int _birth;

        private Raw(Counterparty row, PlaceCache places)
        {
            // Everything but interning is done here, on every core: the interning that follows runs on one.
            _name = NameNormalizer.Normalize(row.Name, row.City);
            _nameKey = _name.Tokens.Length > 1 ? SortedKey(_name.KeyTokens) : null;
            _address = AddressNormalizer.Normalize(row.Address);
            (_city, _cityKey) = places.Get(row.City);
            (_, _region) = places.Get(row.Region);
            _country = Countries.Code(row.Country);
            _innKind = Inn.Classify(row.TaxId);
            // Offsets keep a 10-digit and a 12-digit INN with leading zeros from meeting as one number.
            _inn = Inn.Normalize(row.TaxId) is { } inn ? long.Parse(inn, CultureInfo.InvariantCulture) + (inn.Length == 12 ? TwelveDigitInn : 0) : 0;
            _ogrnKind = Ogrn.Classify(row.RegistrationNumber);
            _ogrn = Ogrn.Normalize(row.RegistrationNumber) is { } ogrn ? long.Parse(ogrn, CultureInfo.InvariantCulture) + (ogrn.Length == 15 ? 1_000_000_000_000_000L : 0) : 0;
            _kppReason = Kpp.Classify(row.BranchCode);
            _kpp = Kpp.Normalize(row.BranchCode);
            _phone = Contacts.Phone(row.Phone);
            _email = Contacts.Email(row.Email);
            _emailDomain = Contacts.EmailDomain(_email);
            _web = Contacts.WebDomain(row.Website);
            _directors = Directors(row.Directors);
            _birth = row.Birthday is { } d ? ((d.Year == Counterparty.NoYear ? 0 : d.Year) * 10000) + (d.Month * 100) + d.Day : 0;
        }

        /// <summary>Each director's words in ordinal order, once each, in the order the row lists them.</summary>
        private static string[] Directors(IReadOnlyList<string>? names)
        {
            if (names is null || names.Count == 0)
            {
                return [];
            }

            var keys = new List<string>(names.Count);
            foreach (var name in names)
            {
                var tokens = NameNormalizer.Normalize(name).Tokens;
                if (tokens.Length < 2)
                {
                    // A surname alone is too common to say two firms share a director.
                    continue;
                }

                Array.Sort(tokens, StringComparer.Ordinal);
                var key = string.Join(' ', tokens);
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                }
            }

            return [.. keys];
        }

        public static Raw From(Counterparty row, PlaceCache places) => new(row, places);

        public NormalizedRecord Intern(StringPool pool, Dictionary<int, int[]> cityTokens)
        {
            var name = pool.Intern(_name.Tokens);
            var nameKey = name.Length == 0 ? -1 : name.Length == 1 ? name[0] : pool.Intern(_nameKey);
            var legalForm = pool.Intern(_name.LegalForm);
            var address = pool.Intern(_address);

            // Rows of one city share one array: a million small arrays fewer for the collector to trace. Interning
            // keeps its order (tokens, then the city) so ids stay what they were.
            int[] city;
            if (_cityKey is null || !pool.TryGet(_cityKey, out var cityId) || !cityTokens.TryGetValue(cityId, out city!))
            {
                city = pool.Intern(_city);
                cityId = pool.Intern(_cityKey);
                if (cityId >= 0)
                {
                    cityTokens[cityId] = city;
                }
            }

            return new NormalizedRecord
            {
                Name = name,
                NameKey = nameKey,
                NameJoined = _name.Joined is null ? nameKey : pool.Intern(_name.Joined),
                Acronym = pool.Intern(_name.Acronym),
                Initials = pool.Intern(_name.Initials),
                LegalForm = legalForm,
                NameSaysBranch = _name.SaysBranch,
                Address = address,
                CityTokens = city,
                City = cityId,
                Region = pool.Intern(_region),
                Country = pool.Intern(_country),
                Inn = _inn,
                InnKind = _innKind,
                Ogrn = _ogrn,
                OgrnKind = _ogrnKind,
                Kpp = pool.Intern(_kpp),
                KppReason = _kppReason,
                Phone = pool.Intern(_phone),
                Email = pool.Intern(_email),
                EmailDomain = pool.Intern(_emailDomain),
                WebDomain = pool.Intern(_web),
                Directors = _directors.Length == 0 ? [] : _directors.Select(d => pool.Intern(d)).ToArray(),
                Birth = _birth,
                Parent = -1,
            };
        }
    }
}

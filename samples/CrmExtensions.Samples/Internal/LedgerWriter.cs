using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Samples.Internal;

/// <summary>A counterparty row as it is written to the ledger.</summary>
internal sealed record CounterpartyRecord(
    string Code, string Name, string? Inn, string? Kpp, string? Ogrn, string? ParentCode, string? Address, string? City,
    string? RegionCode, string? Country, string? Phone, string? Email, string? Website, string? Manager, string? Birthday,
    string UpdatedAt);

/// <summary>One regional ledger file, written in a single transaction through prepared commands.</summary>
internal sealed class LedgerWriter : IDisposable
{
    private const string Schema = """
        CREATE TABLE "Пользователи" (
            "Ссылка" TEXT PRIMARY KEY, "Наименование" TEXT NOT NULL, "Недействителен" INTEGER NOT NULL, "Изменено" TEXT NOT NULL);
        CREATE TABLE "Справочник Регионы" ("Код" TEXT PRIMARY KEY, "Наименование" TEXT NOT NULL);
        CREATE TABLE "Справочник Контрагенты" (
            "Код" TEXT PRIMARY KEY, "Наименование" TEXT NOT NULL, "ИНН" TEXT, "КПП" TEXT, "ОГРН" TEXT,
            "ГоловнойКонтрагент" TEXT, "ЮрАдрес" TEXT, "Город" TEXT, "КодРегиона" TEXT, "Страна" TEXT, "Телефон" TEXT,
            "ЭлПочта" TEXT, "Сайт" TEXT, "ОсновнойМенеджер" TEXT, "ДатаРождения" TEXT, "Изменено" TEXT NOT NULL);
        CREATE TABLE "Документ Реализация" (
            "Ссылка" INTEGER PRIMARY KEY, "Номер" TEXT NOT NULL, "Дата" TEXT NOT NULL, "СрокОплаты" TEXT,
            "Контрагент" TEXT NOT NULL, "СуммаДокумента" INTEGER NOT NULL, "СуммаОплачено" INTEGER NOT NULL,
            "ВалютаКод" TEXT NOT NULL, "Ответственный" TEXT, "Проведен" INTEGER NOT NULL, "Изменено" TEXT NOT NULL);
        CREATE TABLE "Документ Поступление Оплаты" (
            "Ссылка" INTEGER PRIMARY KEY, "Номер" TEXT NOT NULL, "Дата" TEXT NOT NULL, "Контрагент" TEXT NOT NULL,
            "ДокументРасчетов" INTEGER, "Сумма" REAL NOT NULL, "ВалютаКод" TEXT NOT NULL, "Изменено" TEXT NOT NULL);
        CREATE TABLE "Справочник Номенклатура" (
            "Код" TEXT PRIMARY KEY, "Наименование" TEXT NOT NULL, "Группа" TEXT, "ЕдиницаИзмерения" TEXT NOT NULL,
            "ЦенаПродажи" INTEGER NOT NULL, "Изменено" TEXT NOT NULL);
        CREATE TABLE "Документ Реализация Товары" (
            "Ссылка" INTEGER NOT NULL, "НомерСтроки" INTEGER NOT NULL, "Номенклатура" TEXT NOT NULL, "Количество" REAL NOT NULL,
            "Цена" REAL NOT NULL, "Сумма" INTEGER NOT NULL, PRIMARY KEY ("Ссылка", "НомерСтроки"));
        CREATE TABLE "РегистрСведений КурсыВалют" (
            "Период" TEXT NOT NULL, "Валюта" TEXT NOT NULL, "Курс" REAL NOT NULL, "Кратность" INTEGER NOT NULL, PRIMARY KEY ("Период", "Валюта"));
        CREATE TABLE "Контактные лица" (
            "Ссылка" INTEGER PRIMARY KEY, "Владелец" TEXT NOT NULL, "Фамилия" TEXT NOT NULL, "Имя" TEXT, "Отчество" TEXT,
            "Должность" TEXT, "ЭлПочта" TEXT, "Телефон" TEXT, "ДатаРождения" TEXT, "Изменено" TEXT NOT NULL);
        """;

    // A real 1C export carries these; creating them after the load is much cheaper than maintaining them during it.
    private const string Indexes = """
        CREATE INDEX "Реализация_Контрагент" ON "Документ Реализация" ("Контрагент");
        CREATE INDEX "Поступление_Контрагент" ON "Документ Поступление Оплаты" ("Контрагент");
        CREATE INDEX "Поступление_Документ" ON "Документ Поступление Оплаты" ("ДокументРасчетов");
        CREATE INDEX "Контактные_Владелец" ON "Контактные лица" ("Владелец");
        CREATE INDEX "Товары_Номенклатура" ON "Документ Реализация Товары" ("Номенклатура");
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _counterparty;
    private readonly SqliteCommand _invoice;
    private readonly SqliteCommand _payment;
    private readonly SqliteCommand _contact;
    private readonly SqliteCommand _line;
    private int _lastCode;
    private long _lastInvoice;
    private long _lastPayment;
    private long _lastContact;

    public LedgerWriter(string name, string path)
        : this(name, path, append: false)
    {
    }

    private LedgerWriter(string name, string path, bool append)
    {
        Name = name;
        Path = path;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        if (!append)
        {
            Execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;");
            Execute(Schema);
        }

        _transaction = _connection.BeginTransaction();
        _counterparty = Prepare(
            """
            INSERT INTO "Справочник Контрагенты" VALUES ($code, $name, $inn, $kpp, $ogrn, $parent, $address, $city, $region,
                $country, $phone, $email, $site, $manager, $birthday, $updated)
            """,
            "$code", "$name", "$inn", "$kpp", "$ogrn", "$parent", "$address", "$city", "$region", "$country", "$phone", "$email",
            "$site", "$manager", "$birthday", "$updated");
        _invoice = Prepare(
            """
            INSERT INTO "Документ Реализация" VALUES ($id, $number, $date, $due, $counterparty, $amount, $paid, $currency,
                $manager, $posted, $updated)
            """,
            "$id", "$number", "$date", "$due", "$counterparty", "$amount", "$paid", "$currency", "$manager", "$posted", "$updated");
        _payment = Prepare(
            """
            INSERT INTO "Документ Поступление Оплаты" VALUES ($id, $number, $date, $counterparty, $invoice, $amount, $currency, $updated)
            """,
            "$id", "$number", "$date", "$counterparty", "$invoice", "$amount", "$currency", "$updated");
        _line = Prepare(
            """
            INSERT INTO "Документ Реализация Товары" VALUES ($invoice, $number, $product, $quantity, $price, $amount)
            """,
            "$invoice", "$number", "$product", "$quantity", "$price", "$amount");
        _contact = Prepare(
            """
            INSERT INTO "Контактные лица" VALUES ($id, $owner, $surname, $first, $patronymic, $position, $email, $phone, $birthday, $updated)
            """,
            "$id", "$owner", "$surname", "$first", "$patronymic", "$position", "$email", "$phone", "$birthday", "$updated");
    }

    /// <summary>Opens a ledger written earlier to add documents to it, numbered on from its last ones, in one transaction that
    /// <see cref="Commit"/> ends (<see cref="Finish"/> is for a new file only).</summary>
    public static LedgerWriter Append(string name, string path)
    {
        var writer = new LedgerWriter(name, path, append: true);
        writer._lastInvoice = writer.Max("""SELECT MAX("Ссылка") FROM "Документ Реализация" """);
        writer._lastPayment = writer.Max("""SELECT MAX("Ссылка") FROM "Документ Поступление Оплаты" """);
        return writer;
    }

    public string Name { get; }

    public string Path { get; }

    public int Counterparties { get; private set; }

    public int PostedInvoices { get; private set; }

    public int Payments { get; private set; }

    public int Contacts { get; private set; }

    public int PostedLines { get; private set; }

    /// <summary>Issues the next 1C-style code, padded with trailing spaces as a fixed-width field would be.</summary>
    public string NextCode()
    {
        _lastCode++;
        return _lastCode.ToString("D9", CultureInfo.InvariantCulture) + "  ";
    }

    public void InsertUser(string reference, string name, bool inactive, string updatedAt)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = """INSERT INTO "Пользователи" VALUES ($id, $name, $inactive, $updated)""";
        command.Parameters.AddWithValue("$id", reference);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$inactive", inactive ? 1 : 0);
        command.Parameters.AddWithValue("$updated", updatedAt);
        command.ExecuteNonQuery();
    }

    public void InsertRegion(string code, string name)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = """INSERT INTO "Справочник Регионы" VALUES ($code, $name)""";
        command.Parameters.AddWithValue("$code", code);
        command.Parameters.AddWithValue("$name", name);
        command.ExecuteNonQuery();
    }

    public void InsertCounterparty(CounterpartyRecord row)
    {
        var p = _counterparty.Parameters;
        p[0].Value = row.Code;
        p[1].Value = row.Name;
        p[2].Value = Db(row.Inn);
        p[3].Value = Db(row.Kpp);
        p[4].Value = Db(row.Ogrn);
        p[5].Value = Db(row.ParentCode);
        p[6].Value = Db(row.Address);
        p[7].Value = Db(row.City);
        p[8].Value = Db(row.RegionCode);
        p[9].Value = Db(row.Country);
        p[10].Value = Db(row.Phone);
        p[11].Value = Db(row.Email);
        p[12].Value = Db(row.Website);
        p[13].Value = Db(row.Manager);
        p[14].Value = Db(row.Birthday);
        p[15].Value = row.UpdatedAt;
        _counterparty.ExecuteNonQuery();
        Counterparties++;
    }

    public long InsertInvoice(string date, string? due, string counterparty, long kopecks, long paidKopecks, string currency, string? manager, bool posted, string updatedAt)
    {
        var id = ++_lastInvoice;
        var p = _invoice.Parameters;
        p[0].Value = id;
        p[1].Value = "00ЦБ-" + id.ToString("D6", CultureInfo.InvariantCulture);
        p[2].Value = date;
        p[3].Value = Db(due);
        p[4].Value = counterparty;
        p[5].Value = kopecks;
        p[6].Value = paidKopecks;
        p[7].Value = currency;
        p[8].Value = Db(manager);
        p[9].Value = posted ? 1 : 0;
        p[10].Value = updatedAt;
        _invoice.ExecuteNonQuery();
        if (posted)
        {
            PostedInvoices++;
        }

        return id;
    }

    public void InsertProduct(Product product, string updatedAt)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = """INSERT INTO "Справочник Номенклатура" VALUES ($code, $name, $group, $unit, $price, $updated)""";
        command.Parameters.AddWithValue("$code", product.Code);
        command.Parameters.AddWithValue("$name", product.Name);
        command.Parameters.AddWithValue("$group", product.Group);
        command.Parameters.AddWithValue("$unit", product.Unit);
        command.Parameters.AddWithValue("$price", product.Price);
        command.Parameters.AddWithValue("$updated", updatedAt);
        command.ExecuteNonQuery();
    }

    /// <summary>Writes an invoice's lines: kopecks in the amount, roubles in the unit price, as 1C exports them.</summary>
    public void InsertLines(long invoice, IReadOnlyList<BasketLine> lines, bool posted)
    {
        var p = _line.Parameters;
        for (var i = 0; i < lines.Count; i++)
        {
            p[0].Value = invoice;
            p[1].Value = i + 1;
            p[2].Value = lines[i].Product.Code;
            p[3].Value = (double)lines[i].Quantity;
            p[4].Value = Math.Round(lines[i].Kopecks / 100.0 / lines[i].Quantity, 2);
            p[5].Value = lines[i].Kopecks;
            _line.ExecuteNonQuery();
        }

        if (posted)
        {
            PostedLines += lines.Count;
        }
    }

    public void InsertPayment(string date, string counterparty, long? invoice, double roubles, string currency, string updatedAt)
    {
        var id = ++_lastPayment;
        var p = _payment.Parameters;
        p[0].Value = id;
        p[1].Value = "00ЦБ-" + id.ToString("D6", CultureInfo.InvariantCulture);
        p[2].Value = date;
        p[3].Value = counterparty;
        p[4].Value = invoice is { } i ? i : DBNull.Value;
        p[5].Value = roubles;
        p[6].Value = currency;
        p[7].Value = updatedAt;
        _payment.ExecuteNonQuery();
        Payments++;
    }

    public void InsertContact(string owner, PersonName person, string? position, string? email, string? phone, string? birthday, string updatedAt)
    {
        var p = _contact.Parameters;
        p[0].Value = ++_lastContact;
        p[1].Value = owner;
        p[2].Value = person.Surname;
        p[3].Value = person.First;
        p[4].Value = Db(person.Patronymic);
        p[5].Value = Db(position);
        p[6].Value = Db(email);
        p[7].Value = Db(phone);
        p[8].Value = Db(birthday);
        p[9].Value = updatedAt;
        _contact.ExecuteNonQuery();
        Contacts++;
    }

    /// <summary>
    /// The register of exchange rates a 1C ledger keeps: the rouble price of the euro (978) and the US dollar (840) on the
    /// first day of every month from <paramref name="from"/>'s month to <paramref name="to"/>, with a multiplicity of 1.
    /// The rates follow the month alone, not the random draws, so the rest of a sample does not change with them.
    /// </summary>
    public void InsertRates(DateOnly from, DateOnly to)
    {
        using var command = Command("""INSERT INTO "РегистрСведений КурсыВалют" VALUES ($period, $currency, $rate, 1)""");
        var period = command.Parameters.Add("$period", SqliteType.Text);
        var currency = command.Parameters.Add("$currency", SqliteType.Text);
        var rate = command.Parameters.Add("$rate", SqliteType.Real);
        for (var month = new DateOnly(from.Year, from.Month, 1); month <= to; month = month.AddMonths(1))
        {
            foreach (var code in ForeignCurrencies)
            {
                period.Value = month.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
                currency.Value = code;
                rate.Value = (double)RoublesPer(code, month);
                command.ExecuteNonQuery();
            }
        }
    }

    /// <summary>The foreign currencies a sample ledger invoices in: the euro and the US dollar (ISO numeric codes).</summary>
    private static readonly string[] ForeignCurrencies = ["978", "840"];

    /// <summary>The register's rouble price of one unit of a currency (ISO numeric code) in <paramref name="day"/>'s month.</summary>
    public static decimal RoublesPer(string code, DateOnly day)
    {
        var n = (day.Year * 12) + day.Month;
        return code switch
        {
            "978" => 95m + (n % 12 * 0.5m),
            "840" => 85m + (n % 10 * 0.25m),
            _ => 1m,
        };
    }

    /// <summary>Commits, indexes, and leaves the file in rollback-journal mode so that read-only opening creates no side files.</summary>
    public void Finish()
    {
        _transaction.Commit();
        Execute(Indexes);
        Execute("PRAGMA journal_mode=DELETE;");
        Execute("PRAGMA locking_mode=NORMAL;");
    }

    /// <summary>Commits what an <see cref="Append"/> writer added.</summary>
    public void Commit() => _transaction.Commit();

    /// <summary>A command in the writer's transaction, to read the ledger while writing to it.</summary>
    public SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    public void Dispose()
    {
        _counterparty.Dispose();
        _invoice.Dispose();
        _payment.Dispose();
        _contact.Dispose();
        _line.Dispose();
        _transaction.Dispose();
        _connection.Dispose();
    }

    private static object Db(string? value) => value is null ? DBNull.Value : value;

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private long Max(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteScalar() is long max ? max : 0;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using CrmExtensions.Ledger.Sync;
using CrmExtensions.Ledger.Tests.Sync;
using CrmExtensions.Reports.Workday;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Ledger.Tests.Workday;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class MyDayReaderTests(DatabaseProvider provider)
{
    private TestDatabase _database = null!;
    private CrmStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(provider);
        _store = TestStores.Create(_database);
        using (var ledger = new TestLedger())
        {
            BirthdayLedger.AddTo(ledger);
            new LedgerSynchronizer(_store).Sync([ledger.Definition()]);
        }

        TestClients.AddTo(_store);
    }

    [TearDown]
    public void TearDown() => _database?.Dispose();

    private List<string> Names(DateOnly day) => [.. new MyDayReader(_store).Birthdays(day, manager: null).Select(b => b.FullName)];

    [Test]
    public void Birthdays_OnTheDay_ListsContactsAndPersonsOfAnyYear()
    {
        Assert.That(Names(new DateOnly(2026, 3, 1)), Is.EqualTo(new[] { "Иванов Иван Иванович" }));
        Assert.That(Names(new DateOnly(2026, 12, 4)), Is.EqualTo(new[] { "Ромашка ООО (филиал)" }));
        Assert.That(Names(new DateOnly(2026, 12, 5)), Is.Empty);
    }

    [Test]
    public void Birthdays_FirmsDayOfRegistration_ListedAsAFirmsAnniversary()
    {
        var reader = new MyDayReader(_store);
        bool PersonIsFirm(string? inn)
        {
            using (var connection = _store.Open())
            {
                connection.Execute("UPDATE mirror_counterparties SET tax_id = @inn WHERE birthday = '1990-06-15'", new { inn });
            }

            return reader.Birthdays(new DateOnly(2026, 6, 15), manager: null).Single().Firm;
        }

        var firm = reader.Birthdays(new DateOnly(2026, 12, 4), manager: null).Single();
        var contact = reader.Birthdays(new DateOnly(2026, 3, 1), manager: null).Single();

        Assert.Multiple(() =>
        {
            Assert.That((firm.FullName, firm.Firm), Is.EqualTo(("Ромашка ООО (филиал)", true)), "an organisation's INN of 10 digits");
            Assert.That(PersonIsFirm("500100732259"), Is.False, "a sole proprietor's INN of 12 digits: a person's birthday");
            Assert.That(PersonIsFirm(null), Is.False, "no INN: a private client's birthday, as the mapping's birthday is meant for");
            Assert.That(PersonIsFirm("7707083893"), Is.True);
            Assert.That(contact.Firm, Is.False);
        });
    }

    [Test]
    public void Birthdays_OfNoLivingPerson_AreAPlaceholderNotListed()
    {
        using (var connection = _store.Open())
        {
            connection.Execute("""
                INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, birthday, birthday_md, row_hash, first_seen_at, synced_at)
                    VALUES ('main', 'K9', '0001', 'Неизвестный Контакт', '1900-12-05', '12-05', 0, 'x', 'x')
                """);
        }

        Assert.That(Names(new DateOnly(2026, 12, 5)), Is.Empty, "126 years old: the ledger's 01.01.1900 kind of placeholder");
        Assert.That(Names(new DateOnly(2022, 12, 5)), Is.EqualTo(new[] { "Неизвестный Контакт" }), "122: the oldest age on record");
    }

    [Test]
    public void Birthdays_OnADateFifteenPeopleShare_AreAPlaceholderNotListed()
    {
        using (var connection = _store.Open())
        {
            for (var i = 0; i < 15; i++)
            {
                connection.Execute("""
                    INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, birthday, birthday_md, row_hash, first_seen_at, synced_at)
                        VALUES ('main', @id, '0001', @name, '1970-12-05', '12-05', 0, 'x', 'x')
                    """, new { id = "P" + i, name = "Контакт " + i });
            }

            connection.Execute("""
                INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, birthday, birthday_md, row_hash, first_seen_at, synced_at)
                    VALUES ('main', 'R1', '0001', 'Настоящий Именинник', '1981-12-05', '12-05', 0, 'x', 'x')
                """);
        }

        Assert.That(Names(new DateOnly(2026, 12, 5)), Is.EqualTo(new[] { "Настоящий Именинник" }), "'05.12.1970' on fifteen cards: what the ledger writes for none");
    }

    [Test]
    public void Birthdays_TwentyNinthOfFebruary_ListedOn28FebruaryInACommonYear()
    {
        Assert.That(Names(new DateOnly(2028, 2, 29)), Is.EqualTo(new[] { "Петрова Мария" }));
        Assert.That(Names(new DateOnly(2028, 2, 28)), Is.Empty, "a leap year has its own 29 February");
        Assert.That(Names(new DateOnly(2027, 2, 28)), Is.EqualTo(new[] { "Петрова Мария" }), "as the SDK's occasions fall");
        Assert.That(Names(new DateOnly(2027, 3, 1)), Is.EqualTo(new[] { "Иванов Иван Иванович" }), "not on 1 March too");
    }

    [Test]
    public void Birthdays_EveryDayOfACommonAndALeapYear_ListWhomTheDayPatternListed()
    {
        // The statements as they were before migration 28: a LIKE pattern over the birthday itself.
        var before = new[]
        {
            MyDayReader.ContactBirthdaysSql.Replace("p.birthday_md IN (@md, @leapDay)", "p.birthday LIKE @day", StringComparison.Ordinal),
            MyDayReader.PersonBirthdaysSql.Replace("k.birthday_md IN (@md, @leapDay)", "k.birthday LIKE @day", StringComparison.Ordinal),
        };
        Assert.That(before, Has.All.Contains("LIKE @day"));
        using var connection = _store.Open();
        var listed = 0;
        for (var day = new DateOnly(2027, 1, 1); day < new DateOnly(2029, 1, 1); day = day.AddDays(1))
        {
            // 28 February of a common year also lists 29 February's (the one change from the pattern).
            var patterns = day is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(day.Year) ? new[] { "%-02-28", "%-02-29" } : ["%-" + day.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture)];
            var expected = before.SelectMany(sql => patterns.SelectMany(pattern => connection.Query<(long ClientId, string ClientName, string FullName)>(sql, new { day = pattern, manager = (string?)null })))
                .Select(b => b.FullName).Distinct().Order(StringComparer.Ordinal).ToList();

            var actual = Names(day).Order(StringComparer.Ordinal).ToList();

            Assert.That(actual, Is.EqualTo(expected), day.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            listed += actual.Count;
        }

        Assert.That(listed, Is.EqualTo((2 * 3) + 2), "three birthdays each year, and 29 February each year");
    }
}

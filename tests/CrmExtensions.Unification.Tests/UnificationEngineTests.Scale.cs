using System.Diagnostics;
using System.Globalization;

namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    private static readonly string[] Forms = ["ООО", "АО", "ЗАО", "ИП", "LLC", "ПАО"];

    private static readonly string[] Cities =
    [
        "Москва", "Санкт-Петербург", "Казань", "Новосибирск", "Екатеринбург", "Самара", "Омск", "Тверь", "Пермь", "Уфа",
        "Воронеж", "Краснодар", "Тюмень", "Иркутск", "Хабаровск", "Мурманск", "Владивосток", "Томск", "Ростов-на-Дону", "Сочи",
    ];

    [Test]
    [Explicit("Timing on 1,000,000 synthetic counterparties; run in Release")]
    public void Run_MillionSyntheticCounterparties_FinishesWithinBudget()
    {
        var rows = Synthetic(1_000_000, seed: 7);
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        clock.Stop();
        var s = result.Summary;
        TestContext.Out.WriteLine(
            $"{s.LedgerEntities} rows → {s.LegalEntities} legal entities → {s.Clients} clients; branches {s.Branches}, groups {s.GroupsLinked}, " +
            $"review {s.ReviewPairs}, invalid ids {s.InvalidIdentifiers}, compared {s.ComparedPairs}");
        TestContext.Out.WriteLine($"wall {clock.Elapsed.TotalSeconds:0.0} s [{string.Join(", ", s.Stages.Select(x => $"{x.Key} {x.Value.TotalSeconds:0.0}"))}]");
        TestContext.Out.WriteLine(
            $"managed heap: input {before / 1048576} MiB, input + result retained {GC.GetTotalMemory(forceFullCollection: true) / 1048576} MiB; " +
            $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MiB; cores {Environment.ProcessorCount}");
        // Its time and memory are printed for a person to read; the benchmarks measure them (no bound in time here).
        Assert.That(s.LedgerEntities, Is.EqualTo(rows.Length));
        GC.KeepAlive(rows);
    }

    /// <summary>Firms with valid INNs, branches, a second ledger that retypes names and drops INNs, groups sharing a domain.</summary>
    private static Counterparty[] Synthetic(int count, int seed)
    {
        var random = new Random(seed);
        var syllables = new[] { "ро", "ма", "шка", "тех", "строй", "пром", "снаб", "торг", "агро", "лес", "сер", "вис", "нефть", "газ", "мет", "алл", "тран", "зит", "инвест", "гранд", "вол", "га", "урал", "сиб", "рос", "кон", "такт", "медиа", "софт", "лаб" };
        string Word() => string.Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => syllables[random.Next(syllables.Length)]));
        var rows = new List<Counterparty>(count);
        var firm = 0;
        while (rows.Count < count)
        {
            firm++;
            var name = random.Next(4) == 0 ? $"{Word()} {Word()}" : Word();
            var city = Cities[random.Next(Cities.Length)];
            var inn = ValidInn(1_000_000_00 + firm);
            var domain = random.Next(3) == 0 ? "mail.ru" : $"{Word()}{firm}.ru";
            var phone = $"+7 9{random.Next(100_000_000, 999_999_999)}";
            var form = Forms[random.Next(Forms.Length)];
            var id = firm.ToString(CultureInfo.InvariantCulture);
            rows.Add(new Counterparty("main", id, $"{form} «{name}»")
            {
                TaxId = random.Next(10) == 0 ? "ИНН нет" : inn,
                BranchCode = inn[..4] + "01001",
                City = city,
                Address = $"ул. {Word()}, д. {random.Next(1, 200)}",
                Phone = phone,
                Email = $"info@{domain}",
            });
            if (random.Next(3) == 0)
            {
                rows.Add(new Counterparty("main", id + "-b", $"{name}, филиал в г. {Cities[random.Next(Cities.Length)]}") { TaxId = inn, BranchCode = inn[..4] + "02001", ParentLedgerId = id });
            }

            if (random.Next(2) == 0)
            {
                // The same firm in a regional ledger: retyped, often without INN.
                rows.Add(new Counterparty("region", id, $"{name} {form}".ToUpperInvariant())
                {
                    TaxId = random.Next(2) == 0 ? null : inn,
                    City = "г. " + city,
                    Phone = phone,
                });
            }
        }

        return [.. rows.Take(count)];
    }

    private static string ValidInn(long body)
    {
        int[] weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
        var digits = (body % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture);
        var check = weights.Select((w, i) => w * (digits[i] - '0')).Sum() % 11 % 10;
        return digits + check.ToString(CultureInfo.InvariantCulture);
    }
}

namespace CrmExtensions.Web.Tests;

/// <summary>Two firms unification sends to people: «ООО Вектор-Плюс» (msk:30) and «ООО Вектор Плюс» (spb:31), other valid INNs,
/// one phone and region — near the threshold, so neither linked nor left alone.</summary>
internal static class DuplicatePair
{
    public const string First = "msk:30";
    public const string Second = "spb:31";
    public const string Phone = "8462000001";

    /// <summary>Adds the two rows to the ledgers (with a phone and a region column in the mapping), then syncs and unifies.</summary>
    public static async Task AddAsync(WebWorkspace web)
    {
        foreach (var (file, id, name, inn) in new[] { ("msk.db", "30", "ООО Вектор-Плюс", "7710140679"), ("spb.db", "31", "ООО Вектор Плюс", "7702070139") })
        {
            web.Ledger(file, $"""
                ALTER TABLE cp ADD COLUMN phone TEXT;
                ALTER TABLE cp ADD COLUMN region TEXT;
                INSERT INTO cp VALUES ('{id}', '{name}', '{inn}', NULL, 'Самара', 'Сидоров Сидор', '{Phone}', 'Самарская обл');
                """);
        }

        var map = Path.Combine(web.Folder, "ledger.map.json");
        await File.WriteAllTextAsync(map, (await File.ReadAllTextAsync(map)).Replace("city, manager FROM cp", "city, manager, phone, region FROM cp", StringComparison.Ordinal));
        await web.CrmxAsync("sync");
        await web.CrmxAsync("unify");
        Assert.That(await web.CrmxAsync("clients", "review"), Does.Contain(First).And.Contain(Second), "the pair is sent to review");
    }
}

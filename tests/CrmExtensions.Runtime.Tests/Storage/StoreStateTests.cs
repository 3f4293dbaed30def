using CrmExtensions.Runtime.Storage;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Runtime.Tests.Storage;

/// <summary>Which client ids the writes accept: those the CRM handed out, current or retired, before and after the ids are
/// read in one pass.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class StoreStateTests(DatabaseProvider provider)
{
    private static void AddClient(TestStore store, long id, string? retiredAt = null)
    {
        using var c = store.Store.Open();
        c.Execute("INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at, retired_at) VALUES (@id, 'ООО «Ромашка»', 1, 1, 0, 'x', 'x', @retiredAt)",
            new { id, retiredAt });
    }

    [Test]
    public async Task ClientExistsAsync_BeforeAndAfterTheIdsAreReadInOnePass_AnswersAsTheStoreHoldsThem()
    {
        using var store = new TestStore(provider);
        AddClient(store, 1);
        AddClient(store, 2, retiredAt: "2026-01-01");
        var state = new StoreState(store.Store);

        // Looked up one by one: a current and a retired client are there, an id never handed out and text that is no id are not.
        Assert.That(await state.ClientExistsAsync("1", CancellationToken.None), Is.True);
        Assert.That(await state.ClientExistsAsync("2", CancellationToken.None), Is.True);
        Assert.That(await state.ClientExistsAsync("3", CancellationToken.None), Is.False);
        Assert.That(await state.ClientExistsAsync("x", CancellationToken.None), Is.False);

        // An id refused before the client was made is accepted once it is (no answer "no" is kept).
        AddClient(store, 3);
        Assert.That(await state.ClientExistsAsync("3", CancellationToken.None), Is.True);

        // Past the few look-ups every id is read at once; ids made after that pass are still found, unknown ones still refused.
        for (var i = 0; i < StoreState.FewChecks; i++)
        {
            Assert.That(await state.ClientExistsAsync("2", CancellationToken.None), Is.True);
        }

        Assert.That(await state.ClientExistsAsync("999", CancellationToken.None), Is.False);
        AddClient(store, 999);
        Assert.That(await state.ClientExistsAsync("999", CancellationToken.None), Is.True);
        Assert.That(await state.ClientExistsAsync("1000", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task ClientExistsAsync_ManyIds_AreReadInOnePassAndEachAnsweredAsTheStoreHoldsIt()
    {
        using var store = new TestStore(provider);
        using (var c = store.Store.Open())
        {
            foreach (var id in Enumerable.Range(1, StoreState.FewChecks + 500))
            {
                c.Execute("INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) VALUES (@id, 'c', 1, 1, 0, 'x', 'x')",
                    new { id = (long)id * 2 });
            }
        }

        var state = new StoreState(store.Store);
        var answers = new List<bool>();
        foreach (var id in Enumerable.Range(1, 2 * (StoreState.FewChecks + 600)))
        {
            answers.Add(await state.ClientExistsAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None));
        }

        // Even ids up to 2 × (FewChecks + 500) were handed out; odd ones and those beyond never were.
        Assert.That(answers.Select((a, i) => (Id: i + 1, a)).Where(x => x.a).Select(x => x.Id),
            Is.EqualTo(Enumerable.Range(1, StoreState.FewChecks + 500).Select(i => i * 2)));
    }
}

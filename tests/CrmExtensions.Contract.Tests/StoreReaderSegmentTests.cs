using CrmExtensions.Store.Segments;
using CrmExtensions.Testing;

namespace CrmExtensions.Contract.Tests;

/// <summary><see cref="Sdk.Model.ICrmReader.IsInSegmentAsync"/> in the host: any <c>--segment</c> kind, stored behaviour segments
/// included, for the clients of <see cref="ContractWorld"/> on its sync day.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class StoreReaderSegmentTests(DatabaseProvider provider)
{
    private StoreWorld _world = null!;

    [OneTimeSetUp]
    public void Begin() => _world = new StoreWorld(provider);

    [OneTimeTearDown]
    public void End() => _world?.Dispose();

    [Test]
    public async Task IsInSegmentAsync_OverdueKindAndStoredDebtRules_AgreeClientByClient()
    {
        // overdue=yes is the campaigns' condition; overdue.amount > 0 the rule compiler's own fact over the same definition.
        var definitions = new SegmentDefinitionStore(_world.Store);
        definitions.Save("debtors", "overdue.amount > 0", null);
        definitions.Save("payers", "not segment=debtors", null);
        var answers = new List<(bool Overdue, bool Debtor, bool Payer)>();
        await foreach (var client in _world.Facts.StreamClientFactsAsync(ContractWorld.SyncDay, CancellationToken.None))
        {
            answers.Add((await _world.Reader.IsInSegmentAsync(client.ClientId, "overdue=yes", CancellationToken.None),
                await _world.Reader.IsInSegmentAsync(client.ClientId, "segment=debtors", CancellationToken.None),
                await _world.Reader.IsInSegmentAsync(client.ClientId, "segment=payers", CancellationToken.None)));
        }

        Assert.That(answers.Select(a => a.Debtor), Is.EqualTo(answers.Select(a => a.Overdue)));
        Assert.That(answers.Select(a => a.Payer), Is.EqualTo(answers.Select(a => !a.Overdue)));
        Assert.That(answers.Select(a => a.Overdue).Distinct().Count(), Is.EqualTo(2), "some clients owe and some do not");
    }

    [Test]
    public async Task IsInSegmentAsync_UnknownKindOrStoredSegment_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _world.Reader.IsInSegmentAsync("1", "colour=red", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => _world.Reader.IsInSegmentAsync("1", "segment=no-such", CancellationToken.None));
        Assert.That(missing!.Message, Does.Contain("No stored segment 'no-such'"));
    }

    [Test]
    public async Task IsInSegmentAsync_IdNeverHandedOut_False() =>
        Assert.That(await _world.Reader.IsInSegmentAsync("no such client", "overdue=no", CancellationToken.None), Is.False);
}

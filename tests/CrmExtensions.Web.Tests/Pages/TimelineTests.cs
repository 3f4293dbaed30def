using CrmExtensions.Application.Activities;
using CrmExtensions.Application.Clients;
using CrmExtensions.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Web.Tests.Pages;

/// <summary>The client card's timeline pages: every entry once, newest first, however many share one instant.</summary>
[TestFixture]
[NonParallelizable]
public sealed class TimelineTests
{
    [TestCaseSource(typeof(TestDatabases), nameof(TestDatabases.All))]
    public async Task Pages_ListEveryEntryOnce_NewestFirst(DatabaseProvider provider)
    {
        using var database = provider == DatabaseProvider.Postgres ? TestDatabase.Create(provider) : null;
        await using var web = await WebWorkspace.StartAsync(database?.ConnectionString);
        var activities = web.Services.GetRequiredService<ActivityService>();
        var clients = web.Services.GetRequiredService<ClientService>();
        var client = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        var sameInstant = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 17; i++)
        {
            await activities.AddAsync(new ActivityRequest
            {
                Client = client.ToString(System.Globalization.CultureInfo.InvariantCulture), Kind = "call", Source = "test",
                OccurredAt = i < 12 ? sameInstant : sameInstant.AddDays(-i), Subject = "Звонок " + i,
            }, CancellationToken.None);
        }

        var seen = new List<(string At, string Kind, string Id)>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await clients.TimelineAsync(client, after, 5, DateOnly.FromDateTime(DateTime.Now), CancellationToken.None);
            Assert.That(page.Entries, Has.Count.LessThanOrEqualTo(5));
            seen.AddRange(page.Entries.Select(e => (e.At, e.Kind, e.Ledger + ":" + e.Id)));
            after = page.Next;
            pages++;
        }
        while (after is not null && pages < 100);

        // 17 calls and the two invoices of the client's two ledgers (the head's paid МСК-1 and the branch's СПБ-9).
        Assert.That(seen, Has.Count.EqualTo(19));
        Assert.That(seen.Distinct().Count(), Is.EqualTo(19), "no entry twice");
        Assert.That(seen.Select(s => s.At), Is.Ordered.Descending.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(seen.Count(s => s.Kind == "invoice"), Is.EqualTo(2));
    }

    [Test]
    public async Task ATamperedCursor_IsABadRequest()
    {
        await using var web = await WebWorkspace.StartAsync();
        using var http = await web.SignedInClientAsync(WebWorkspace.Manager);
        var client = web.Scalar<long>("SELECT client_id FROM client_members WHERE ledger = 'msk' AND ledger_id = '1'");
        using var response = await http.GetAsync($"/clients/{client}?after=not-a-cursor");
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("cursor"));
    }
}

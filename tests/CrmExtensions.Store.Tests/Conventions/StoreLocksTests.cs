using System.Text.RegularExpressions;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Deals;
using CrmExtensions.Store.Leases;
using CrmExtensions.Store.Providers;
using CrmExtensions.Store.Recommendations;

namespace CrmExtensions.Store.Tests.Conventions;

/// <summary>
/// Each of the store's locks has a key of its own. Two sharing one wait on each other: the client list's computation,
/// run while its own host held the sync lock shared, waited on that host until its statement timed out.
/// </summary>
public sealed class StoreLocksTests
{
    [Test]
    public void PostgreSqlAdvisoryLocks_EachHasItsOwnKey()
    {
        var postgres = StoreDialect.For(DatabaseProvider.PostgreSql);
        string?[] statements =
        [
            postgres.MigrationLock, ClientDirectoryWriter.LockSql(postgres), RecommendationWriter.LockSql(postgres), DealWriter.NumberLockSql(postgres),
        ];
        var keys = statements.Select(s => long.Parse(Regex.Match(s!, @"pg_advisory_xact_lock\((\d+)\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Append(SyncLock.PostgresKey).ToList();

        Assert.That(keys, Is.Unique);
    }

    [Test]
    public void SqlServerAppLocks_EachHasItsOwnResource()
    {
        var sqlServer = StoreDialect.For(DatabaseProvider.SqlServer);
        string?[] statements =
        [
            sqlServer.MigrationLock, ClientDirectoryWriter.LockSql(sqlServer), RecommendationWriter.LockSql(sqlServer), DealWriter.NumberLockSql(sqlServer),
        ];
        var resources = statements.Select(s => Regex.Match(s!, @"@Resource = N'([^']+)'").Groups[1].Value).Append(SyncLock.SqlServerResource).ToList();

        Assert.That(resources, Is.Unique.And.None.Empty);
    }
}

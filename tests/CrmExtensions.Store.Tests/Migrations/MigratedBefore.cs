using System.Data.Common;
using CrmExtensions.Store.Migrations;

namespace CrmExtensions.Store.Tests.Migrations;

/// <summary>A store as a release before a migration left it: every migration older than that one applied.</summary>
internal static class MigratedBefore
{
    public static void Apply(CrmStore store, DbConnection connection, Migration migration) =>
        Migrator.Apply(connection, store.Dialect, [.. StoreMigrations.All.Where(m => m.Version < migration.Version)], TimeProvider.System);
}

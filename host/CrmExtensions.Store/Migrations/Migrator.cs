using System.Data;
using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Migrations;

/// <summary>Brings a store's schema up to date; safe to run from several host processes at once.</summary>
internal static class Migrator
{
    public static IEnumerable<string> BookkeepingStatements(StoreDialect d)
    {
        yield return d.Provider == DatabaseProvider.SqlServer
            ? "IF OBJECT_ID(N'schema_migrations', N'U') IS NULL CREATE TABLE schema_migrations (version int NOT NULL PRIMARY KEY, name nvarchar(400) NOT NULL, applied_at nvarchar(40) NOT NULL)"
            : d.Ddl("CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name {text} NOT NULL, applied_at {key} NOT NULL)");
        yield return "SELECT version FROM schema_migrations";
        yield return "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @appliedAt)";
    }

    /// <param name="upgrading">Told of each migration applied to a store that had migrations already (an upgrade, which
    /// at a large store may rewrite millions of rows), as it starts and when it is done; a new store's schema is made
    /// without a word.</param>
    public static IReadOnlyList<Migration> Apply(
        DbConnection connection, StoreDialect dialect, IReadOnlyList<Migration> migrations, TimeProvider time, Action<string>? upgrading = null)
    {
        var bookkeeping = BookkeepingStatements(dialect).ToArray();
        // Under the lock and committed on its own: two PostgreSQL sessions running CREATE TABLE IF NOT EXISTS at once
        // can both try to create it, and the table must survive a failing migration.
        using (var create = BeginExclusive(connection, dialect))
        {
            if (dialect.MigrationLock is { } createLock)
            {
                connection.Execute(createLock, transaction: create);
            }

            connection.Execute(bookkeeping[0], transaction: create);
            create.Commit();
        }

        var applied = new List<Migration>();
        using var tx = BeginExclusive(connection, dialect);
        if (dialect.MigrationLock is { } lockSql)
        {
            connection.Execute(lockSql, transaction: tx);
        }

        var done = connection.Query<int>(bookkeeping[1], transaction: tx).ToHashSet();
        var tell = done.Count > 0 ? upgrading : null;
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            if (done.Contains(migration.Version))
            {
                continue;
            }

            var started = time.GetTimestamp();
            tell?.Invoke(string.Create(CultureInfo.InvariantCulture, $"applying migration {migration.Version} ({migration.Name})…"));

            foreach (var statement in migration.Statements(dialect))
            {
                try
                {
                    connection.Execute(statement, transaction: tx);
                }
                catch (DbException ex)
                {
                    throw new StoreException(
                        $"Store migration {migration.Version} ({migration.Name}) failed: {ex.Message} Statement: {statement}", ex);
                }
            }

            connection.Execute(bookkeeping[2], new
            {
                version = migration.Version,
                name = migration.Name,
                appliedAt = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            }, tx);
            applied.Add(migration);
            tell?.Invoke(string.Create(
                CultureInfo.InvariantCulture, $"migration {migration.Version} applied in {time.GetElapsedTime(started).TotalSeconds:0.0} s"));
        }

        tx.Commit();
        return applied;
    }

    private static DbTransaction BeginExclusive(DbConnection connection, StoreDialect dialect)
    {
        if (dialect.Provider == DatabaseProvider.Sqlite && connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            // deferred: false takes the write lock now (BEGIN IMMEDIATE), so two hosts cannot both migrate.
            return sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        }

        return connection.BeginTransaction(IsolationLevel.ReadCommitted);
    }
}

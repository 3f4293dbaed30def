using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>One versioned step of the store's schema.</summary>
/// <param name="Version">Applied in increasing order, once; never renumbered or edited after release.</param>
/// <param name="Name">What the step does, for the <c>schema_migrations</c> table and messages.</param>
/// <param name="Statements">The DDL for a dialect; each string is one statement.</param>
public sealed record Migration(int Version, string Name, Func<StoreDialect, IEnumerable<string>> Statements);

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 31: the index of client tags by name alone goes; the index by (name, value, client) of migration 10
/// serves every look-up by name as its prefix.</summary>
/// <remarks>Every tag a plugin sets or removes updated both. A first evaluation of the shipped plugins writes a tag for
/// nearly every client (968,527 tag writes at 1,000,000 counterparties), each now one index fewer.</remarks>
internal static class ClientTagsByValueMigration
{
    /// <summary>The index dropped.</summary>
    public const string DroppedIndex = "ix_client_tags_name";

    public static Migration Migration { get; } = new(31, "client tags indexed by name and value only", d =>
        ["DROP INDEX " + ClientKeyedMoneyMigration.DropIndex(d, DroppedIndex, "client_tags")]);
}

using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using CrmExtensions.Testing;

namespace CrmExtensions.Mail.Tests;

internal static class TestStores
{
    /// <summary>A migrated store on a fresh test database.</summary>
    public static CrmStore Create(TestDatabase database, TimeProvider? time = null)
    {
        var store = new CrmStore(
            database.Provider == DatabaseProvider.Postgres ? Store.Providers.DatabaseProvider.PostgreSql : Store.Providers.DatabaseProvider.Sqlite,
            database.ConnectionString, time ?? TimeProvider.System);
        store.Migrate();
        return store;
    }

    public static OutboxMessage Mail(string key, MailCategory category = MailCategory.Transactional, string to = "buh@romashka.ru", long? clientId = null) =>
        new(key, category, "campaign:test", "pack/letter", to, "Сверка взаиморасчётов", "<p>Добрый день!</p>", "Добрый день!") { ClientId = clientId, ToName = "Ромашка ООО" };
}

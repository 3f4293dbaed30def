using CrmExtensions.Mail.Outbox;

namespace CrmExtensions.Mail.Tests.Outbox;

public sealed class OutboxMessageTests
{
    [Test]
    public void Messages_with_the_same_fields_are_equal_and_the_client_counts()
    {
        var a = new OutboxMessage("dunning:msk/1:1", MailCategory.Transactional, "receivables", "dunning/level1", "a@example.com", "S", null, "T") { ClientId = 7 };
        var b = a with { };
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a with { ClientId = 8 }, Is.Not.EqualTo(a));
    }
}

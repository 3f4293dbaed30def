using CrmExtensions.Mail.Consent;
using CrmExtensions.Store;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Mail.Tests.Consent;

public sealed class UnsubscribeLinksTests
{
    private const string Secret = "s3cret-s3cret-s3cret";
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    private static UnsubscribeLinks Links(string secret = Secret) => new("https://crm.example.ru/mail", secret, Time);

    [Test]
    public void Verify_LinkItMade_ReturnsAddressClientAndIssueTime()
    {
        var link = Links().Link(" Директор@Ромашка.рф ", 17);

        var request = Links().Verify(link);

        Assert.That(link, Does.StartWith("https://crm.example.ru/mail/unsubscribe?t="));
        Assert.That(request, Is.EqualTo(new UnsubscribeRequest("директор@ромашка.рф", 17, Time.GetUtcNow())));
    }

    [Test]
    public void Token_SameAddressTwoClients_Differ()
    {
        Assert.That(Links().Token("a@b.ru", 1), Is.Not.EqualTo(Links().Token("a@b.ru", 2)));
    }

    [Test]
    public void Verify_AddressSwappedInThePayload_IsRejected()
    {
        var token = Links().Token("victim@b.ru", 5);
        var forgedPayload = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes("u1\n5\nother@b.ru\n1772442000"));
        var forged = forgedPayload + token[token.IndexOf('.', StringComparison.Ordinal)..];

        var ex = Assert.Throws<CrmException>(() => Links().Verify(forged));

        Assert.That(ex!.Message, Does.Contain("not valid"));
    }

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("a.b")]
    [TestCase("!!!.???")]
    public void Verify_Malformed_IsRejected(string token)
    {
        Assert.Throws<CrmException>(() => Links().Verify(token));
    }

    [Test]
    public void Verify_SignedWithAnotherSecret_IsRejected()
    {
        var token = Links("another-secret-entirely").Token("a@b.ru", null);

        Assert.Throws<CrmException>(() => Links().Verify(token));
    }

    [Test]
    public void Verify_OneCharacterOfTheSignatureChanged_IsRejected()
    {
        var token = Links().Token("a@b.ru", null);
        var altered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        Assert.Throws<CrmException>(() => Links().Verify(altered));
    }

    [TestCase(null)]
    [TestCase("short")]
    public void Constructor_WeakSecret_SaysWhatToSet(string? secret)
    {
        var ex = Assert.Throws<CrmException>(() => _ = new UnsubscribeLinks("https://x.ru", secret, Time));

        Assert.That(ex!.Message, Does.Contain("mail:unsubscribe:secret"));
    }

    [Test]
    public void FromOptions_NoSecret_IsNull()
    {
        Assert.That(UnsubscribeLinks.FromOptions(new UnsubscribeOptions { BaseUrl = "https://x.ru" }, Time), Is.Null);
    }

    // Issue 20, item 7: a genuine link with a tracker's query appended was refused.
    [TestCase("?utm_source=mail")]
    [TestCase("?utm_source=mail&utm_medium=email#top")]
    [TestCase("/")]
    [TestCase("#unsubscribe")]
    public void Verify_GenuineLinkWithAQueryOrFragmentAppended_IsAccepted(string appended)
    {
        var link = Links().Link("buh@romashka.ru", 3);

        var request = Links().Verify(link + appended);

        Assert.That(request.Address, Is.EqualTo("buh@romashka.ru"));
    }

    [Test]
    public void Verify_ForgedTokenHiddenInTheQuery_IsRejected()
    {
        var genuine = Links().Token("buh@romashka.ru", 3);

        Assert.That(() => Links().Verify("https://crm.example.ru/mail/u/forged.token?next=/u/" + genuine), Throws.TypeOf<CrmException>());
    }
}

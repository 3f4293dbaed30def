using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Delivery;

namespace CrmExtensions.Mail.Tests.Delivery;

public sealed class MailSettingsCheckTests
{
    private static readonly UnsubscribeOptions Links = new() { BaseUrl = "https://crm.example.com", Secret = "0123456789abcdef0123" };

    [Test]
    public void Check_CompleteSettings_FindsNothing()
    {
        var smtp = new SmtpSettings { Host = "smtp.example.com", Port = 587, Security = "starttls", User = "crm", Password = "x" };

        Assert.That(MailSettingsCheck.Check("crm@example.com", smtp, "outbox", Links), Is.Empty);
    }

    [Test]
    public void Check_NoUnsubscribeSettings_WarnsThatMarketingIsHeldWithoutBlocking()
    {
        var problems = MailSettingsCheck.Check("crm@example.com", null, "outbox", null);

        Assert.That(problems.Select(p => (p.Setting, p.Blocking)), Is.EqualTo(new[] { ("mail:unsubscribe", false) }));
        Assert.That(problems[0].ToString(), Does.Contain("held").And.Contain("mail:unsubscribe:baseUrl"));
    }

    [TestCase("not an address")]
    [TestCase("a@b@c.example")]
    [TestCase("CRM <crm@example.com>")]
    [TestCase("")]
    public void Check_FromNotOneAddress_NamesMailFrom(string from)
    {
        var problems = MailSettingsCheck.Check(from, null, "outbox", Links);

        Assert.That(problems.Select(p => p.Setting), Is.EqualTo(new[] { "mail:from" }));
        Assert.That(problems[0].Blocking, Is.True);
    }

    [TestCase("startls", "mail:smtp:security")]
    [TestCase("plain", "mail:smtp:security")]
    public void Check_UnknownSecurity_IsReportedInsteadOfSendingInPlainText(string security, string setting)
    {
        var problems = MailSettingsCheck.Check("crm@example.com", new SmtpSettings { Host = "smtp.example.com", Security = security }, "outbox", Links);

        Assert.That(problems.Select(p => p.Setting), Is.EqualTo(new[] { setting }));
    }

    [Test]
    public void Check_SmtpWithoutHost_IsReportedInsteadOfWritingThePickupFolder()
    {
        var problems = MailSettingsCheck.Check("crm@example.com", new SmtpSettings { Port = 587, User = "crm", Password = "x" }, "outbox", Links);

        Assert.That(problems.Select(p => p.Setting), Is.EqualTo(new[] { "mail:smtp:host" }));
    }

    [Test]
    public void Check_EverySmtpValueWrong_ListsEachSettingOnce()
    {
        var smtp = new SmtpSettings { Host = "smtp.example.com", Port = 0, Password = "x", MessagesPerMinute = -1, MaxAttempts = 0 };

        var problems = MailSettingsCheck.Check("crm@example.com", smtp, "outbox", Links);

        Assert.That(problems.Select(p => p.Setting), Is.EquivalentTo(new[]
            { "mail:smtp:port", "mail:smtp:user", "mail:smtp:messagesPerMinute", "mail:smtp:maxAttempts" }));
    }

    [TestCase("https://crm.example.com", "short", "mail:unsubscribe:secret")]
    [TestCase("https://crm.example.com", null, "mail:unsubscribe:secret")]
    [TestCase("crm.example.com", "0123456789abcdef0123", "mail:unsubscribe:baseUrl")]
    [TestCase("ftp://crm.example.com", "0123456789abcdef0123", "mail:unsubscribe:baseUrl")]
    [TestCase(null, "0123456789abcdef0123", "mail:unsubscribe:baseUrl")]
    public void Check_HalfOrWrongUnsubscribeSettings_NameTheSettingAndBlock(string? baseUrl, string? secret, string setting)
    {
        var problems = MailSettingsCheck.Check("crm@example.com", null, "outbox", new UnsubscribeOptions { BaseUrl = baseUrl, Secret = secret });

        Assert.That(problems.Select(p => (p.Setting, p.Blocking)), Is.EqualTo(new[] { (setting, true) }));
    }
}

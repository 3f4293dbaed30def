using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary><c>crmx users …</c> and <c>crmx serve</c> from the command line.</summary>
public sealed partial class UsersCommandTests
{
    [Test]
    public void Add_WithoutPassword_PrintsAGeneratedOneOnce_AndListShowsTheUser()
    {
        using var ledger = new SmallLedger();
        var added = ledger.Succeed("users", "add", "Мария", "--role", "manager", "--manager", "Смирнова Мария");
        var password = Generated().Match(added.Out);
        Assert.That(password.Success, Is.True, added.Out);
        Assert.That(password.Groups[1].Value, Has.Length.GreaterThanOrEqualTo(16));
        var list = ledger.Succeed("users", "list");
        Assert.That(list.Out, Does.Contain("Мария").And.Contain("manager").And.Contain("active").And.Contain("Смирнова Мария"));
        Assert.That(list.Out, Does.Not.Contain(password.Groups[1].Value), "the password is shown once, at creation");
    }

    [Test]
    public void Add_PasswordFromStdin_IsNotPrinted()
    {
        using var ledger = new SmallLedger();
        var result = Crmx.RunWithInput(ledger.Folder, "a-long-enough-password\n", "users", "add", "olga", "--role", "director", "--password-stdin");
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Not.Contain("a-long-enough-password").And.Not.Contain("Password"));
    }

    [TestCase("boss", "manager, director or admin")]
    public void Add_UnknownRole_IsAUsageErrorNamingTheRoles(string role, string expected)
    {
        using var ledger = new SmallLedger();
        var result = ledger.Run("users", "add", "ivan", "--role", role);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain(expected));
    }

    [Test]
    public void Add_SameNameInAnotherCase_IsRefused()
    {
        using var ledger = new SmallLedger();
        ledger.Succeed("users", "add", "Ivan", "--role", "manager");
        var again = ledger.Run("users", "add", "ivan", "--role", "admin");
        Assert.That(again.ExitCode, Is.EqualTo(2));
        Assert.That(again.Error, Does.Contain("already a user"));
    }

    [Test]
    public void ShortPasswordFromStdin_IsRefused()
    {
        using var ledger = new SmallLedger();
        var result = Crmx.RunWithInput(ledger.Folder, "short\n", "users", "add", "ivan", "--role", "manager", "--password-stdin");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("at least 10 characters"));
    }

    [Test]
    public void DisableEnableAndResetPassword_ChangeWhatListSays()
    {
        using var ledger = new SmallLedger();
        ledger.Succeed("users", "add", "ivan", "--role", "manager");
        ledger.Succeed("users", "disable", "ivan");
        Assert.That(ledger.Succeed("users", "list").Out, Does.Contain("disabled"));
        Assert.That(ledger.Run("users", "disable", "ivan").Error, Does.Contain("disabled already"));
        ledger.Succeed("users", "enable", "ivan");
        Assert.That(ledger.Succeed("users", "list").Out, Does.Contain("active"));
        var reset = ledger.Succeed("users", "reset-password", "ivan");
        Assert.That(Generated().IsMatch(reset.Out), Is.True, reset.Out);
        Assert.That(ledger.Run("users", "reset-password", "nobody").Error, Does.Contain("no user 'nobody'"));
    }

    [Test]
    public void Serve_OnAPortInUse_SaysSoInOneLine()
    {
        using var ledger = new SmallLedger();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = ledger.Run("serve", "--urls", $"http://127.0.0.1:{port}");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.Error);
        Assert.That(lines[0], Does.Contain($"127.0.0.1:{port}").And.Contain("--urls"));
    }

    [GeneratedRegex(@"Password \(shown once\): (\S+)")]
    private static partial Regex Generated();
}

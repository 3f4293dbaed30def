using System.Globalization;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Commands;

public sealed class ActivityCommandTests
{
    private SmallLedger _ledger = null!;

    [SetUp]
    public void SetUp() => _ledger = new SmallLedger();

    [TearDown]
    public void TearDown() => _ledger.Dispose();

    private const string Malformed =
        "client;type;at;subject;manager;outcome\n" +
        "7707083893;call;2026-11-20 10:00;Обсудили поставку;Петров;перезвонить в пятницу\n" +
        "Нет такой фирмы;call;2026-11-20 11:00;x;Петров;\n" +
        "7736050003;meeting;32.13.2026;y;Петров;\n" +
        "7736050003;;2026-11-21 09:00;z;Петров;\n" +
        "7736050003;fax;2026-11-21 09:00;z;Петров;\n" +
        "7736050003;note;2026-11-21 09:00\n" +
        "\"7736050003\";Звонок;21.11.2026 12:30;\"Счёт; отправлен \"\"срочно\"\"\";Сидорова;ok\n";

    [Test]
    public void Import_MalformedRows_ReportsEachWithItsLineAndImportsTheRest()
    {
        _ledger.WriteFile("calls.csv", Malformed, bom: true);

        var result = _ledger.Run("activity", "import", "calls.csv");

        Assert.That(result.ExitCode, Is.EqualTo(1), "rows were rejected");
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(errors, Is.EqualTo(new[]
        {
            "calls.csv:3: column 'client': no client matches 'Нет такой фирмы'",
            "calls.csv:4: column 'at': '32.13.2026' is not a date; use 2026-11-23 15:00, 2026-11-23T15:00, 23.11.2026 15:00 or a date alone; an offset (+03:00, Z) is honoured",
            "calls.csv:5: column 'type': empty; use one of call, meeting, letter-in, letter-out, email-in, email-out, web-form, note, complaint",
            "calls.csv:6: column 'type': unknown type 'fax'; use one of call, meeting, letter-in, letter-out, email-in, email-out, web-form, note, complaint",
            "calls.csv:7: expected 6 fields as in the header, found 3",
        }));
        Assert.That(result.Out.Trim(), Is.EqualTo("imported 2, rejected 5"));
        var list = _ledger.Succeed("activity", "list");
        Assert.That(list.Out, Does.Contain("Обсудили поставку — перезвонить в пятницу").And.Contain("Счёт; отправлен \"срочно\" — ok"));
        Assert.That(list.Out, Does.Contain("2 activities."));
    }

    [Test]
    public void Import_SameFileTwice_AddsNothingTheSecondTime()
    {
        _ledger.WriteFile("calls.csv", Malformed);
        _ledger.Run("activity", "import", "calls.csv");

        var again = _ledger.Run("activity", "import", "calls.csv");

        Assert.That(again.Out.Trim(), Is.EqualTo("imported 0, rejected 5, already present 2"));
        Assert.That(_ledger.Succeed("activity", "list").Out, Does.Contain("2 activities."));
    }

    [Test]
    public void Import_CommaSeparatedWithContactAndDirection_ResolvesTheContactPerson()
    {
        _ledger.WriteFile("mail.csv", "Client,Type,At,Subject,Contact,Direction\n" +
            "7707083893,email-in,2026-11-22T09:15,Запрос цены,main:K1,\n" +
            "7707083893,call,2026-11-22T10:00,Не тот,K2,sideways\n");

        var result = _ledger.Run("activity", "import", "mail.csv");

        Assert.That(result.Error, Does.Contain("mail.csv:3: column 'contact': client").And.Contain("has no contact person 'K2'"));
        Assert.That(result.Error, Does.Contain("mail.csv:3: column 'direction': 'sideways' is neither 'in' nor 'out'"));
        Assert.That(result.Out.Trim(), Is.EqualTo("imported 1, rejected 1"));
        Assert.That(_ledger.Succeed("activity", "list", "--client", SmallLedger.RomashkaInn).Out, Does.Contain("email-in   in ").And.Contain("Запрос цены"));
    }

    [Test]
    public void Import_DryRun_WritesNothing()
    {
        _ledger.WriteFile("calls.csv", Malformed);

        var result = _ledger.Run("activity", "import", "calls.csv", "--dry-run");

        Assert.That(result.Out.Trim(), Is.EqualTo("Dry run: would import 2, rejected 5; nothing written."));
        Assert.That(_ledger.Succeed("activity", "list").Out, Does.Contain("0 activities."));
    }

    [Test]
    public void Import_HeaderWithoutType_RejectsTheFileAtLineOne()
    {
        _ledger.WriteFile("bad.csv", "client,when,subject\n7707083893,2026-11-22,x\n");

        var result = _ledger.Run("activity", "import", "bad.csv");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("bad.csv:1: header: unknown column 'when'; required column 'type' is missing; required column 'at' is missing"));
        Assert.That(result.Out.Trim(), Is.EqualTo("imported 0, rejected 1"));
    }

    [Test]
    public void ClientsShow_AfterACallYesterday_SaysSoInLastContact()
    {
        var yesterday = DateTime.Now.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 15:00";
        _ledger.Succeed("activity", "add", "--client", SmallLedger.RomashkaInn, "--type", "звонок", "--at", yesterday,
            "--subject", "Клиент звонил сам", "--manager", "Петров", "--outcome", "ждёт счёт");

        var show = _ledger.Succeed("clients", "show", SmallLedger.RomashkaInn);

        Assert.That(show.Out, Does.Contain("Last contact:"));
        Assert.That(show.Out, Does.Match(@"call\s+yesterday\s+\d{4}-\d\d-\d\d 15:00  Петров  Клиент звонил сам — ждёт счёт"));
    }

    [Test]
    public void Add_AmbiguousClient_ListsTheMatchesAndExitsOne()
    {
        var result = _ledger.Run("activity", "add", "--client", "«", "--type", "note");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("'«' matches 2 clients").And.Contain("ООО «Ромашка»").And.Contain("АО «Вектор»"));
    }

    [Test]
    public void Add_NamePartInAnotherCase_FindsTheClient()
    {
        var result = _ledger.Run("activity", "add", "--client", "РОМАШКА", "--type", "Встреча", "--subject", "показ");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.StartWith("Recorded meeting on client ").And.Contain("ООО «Ромашка»"));
    }

    [Test]
    public void Add_UnknownType_IsAUsageError()
    {
        var result = _ledger.Run("activity", "add", "--client", SmallLedger.RomashkaInn, "--type", "telegram");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("unknown --type 'telegram'; use one of call, meeting"));
    }

    [Test]
    public void List_ByManagerAndSince_FiltersNewestFirst()
    {
        _ledger.Succeed("activity", "add", "--client", SmallLedger.RomashkaInn, "--type", "call", "--at", "2026-11-01 10:00", "--manager", "Петров П.", "--subject", "старый");
        _ledger.Succeed("activity", "add", "--client", SmallLedger.VectorInn, "--type", "meeting", "--at", "2026-11-10 10:00", "--manager", "Петров П.", "--subject", "новый");
        _ledger.Succeed("activity", "add", "--client", SmallLedger.VectorInn, "--type", "note", "--at", "2026-11-11 10:00", "--manager", "Сидорова", "--subject", "чужой");

        var list = _ledger.Succeed("activity", "list", "--manager", "петров", "--since", "2026-11-05");

        Assert.That(list.Out, Does.Contain("новый").And.Not.Contain("старый").And.Not.Contain("чужой"));
        Assert.That(list.Out, Does.Contain("1 activities."));
    }

    [Test]
    public void Demo_ContactLogStep_ImportsReportsTheBadRowAndShowsLastContact()
    {
        using var folder = new TempDirectory();

        var first = Crmx.Run(folder.Path, "demo", "--counterparties", "300");
        var second = Crmx.Run(folder.Path, "demo");

        Assert.That(first.ExitCode, Is.Zero, first.Error);
        Assert.That(first.Out, Does.Contain("7. Contact log").And.Contain("imported 3, rejected 1")
            .And.Contain("activities.csv:5: column 'client': no client matches 'ООО «Нет такой фирмы»'")
            .And.Match(@"call\s+yesterday\s+\S+ 15:00  Петров  Клиент звонил сам"));
        Assert.That(second.Out, Does.Contain("imported 0, rejected 1, already present 3"));
    }
}

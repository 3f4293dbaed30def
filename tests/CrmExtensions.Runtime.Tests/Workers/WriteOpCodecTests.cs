using System.Reflection;
using System.Text;
using CrmExtensions.Runtime.Workers;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Shared;

// Not CrmExtensions.Runtime.Tests.Workers: the tests' worker options are the class of that name.
namespace CrmExtensions.Runtime.Tests;

public sealed class WriteOpCodecTests
{
    private static readonly DateTimeOffset At = new(2026, 6, 30, 9, 15, 30, 123, TimeSpan.FromHours(3));

    /// <summary>One write of every kind, every property of it and of what it carries set, in Russian where it is text.</summary>
    private static readonly WriteOp[] EveryKind =
    [
        new SetClientTagOp("клиент-1", "должник", "да", At),
        new AddReminderOp(
            new Reminder
            {
                Key = "просрочка:1", Title = "Позвонить в ООО «Ромашка»", DueOn = new DateOnly(2026, 7, 1), Counterparty = new LedgerKey("бухгалтерия", "42"),
                Mail = new OutgoingMail { Key = "письмо:1", Template = "напоминание", To = "ivanov@example.ru" }, ClientId = "клиент-1", Manager = "Иванов",
                Notes = "перезвонить после обеда",
            },
            At),
        new QueueMailOp(new RenderedMail { Key = "письмо:1", To = "ivanov@example.ru", Subject = "Счёт № 7", Body = "Добрый день!\nОплатите, пожалуйста, счёт." },
            "напоминание", At, Marketing: true, ClientId: "клиент-1"),
        new SetDataOp("курсор", "2026-06-30"),
        new MoveDealOp("сделка-1", "переговоры", "выиграна", At, "won"),
        new AddActivityOp(new Activity
        {
            Id = "дело-1", PluginId = "Acme.Звонки", Kind = "звонок", Subject = "Обсудили оплату", Notes = "обещали до пятницы",
            Counterparty = new LedgerKey("бухгалтерия", "42"), RecordedAt = At, ClientId = "клиент-1", OccurredAt = At.AddHours(-1), Manager = "Иванов",
            Channel = "телефон", Direction = "исходящий", Outcome = "договорились", DealId = "сделка-1",
        }),
        new OpenDealOp(new Deal
        {
            Id = "сделка-1", PluginId = "Acme.Продажи", Pipeline = "продажи", Stage = "переговоры", Title = "Поставка", Amount = 1234.50m,
            Counterparty = new LedgerKey("бухгалтерия", "42"), CreatedAt = At, ClientId = "клиент-1", Owner = "Петров", ExpectedClose = new DateOnly(2026, 9, 1),
        }),
    ];

    [Test]
    public void Read_EveryKindOfWriteAsWritten_CarriesEveryProperty()
    {
        // The sample sets every property (checked below), so a property added to a write or to the SDK's types that the
        // protocol does not carry fails here instead of being dropped between the worker and the host.
        var read = RoundTrip(EveryKind);

        Assert.That(read.Select(op => op.GetType()), Is.EqualTo(EveryKind.Select(op => op.GetType())));
        for (var i = 0; i < EveryKind.Length; i++)
        {
            AssertCarried(EveryKind[i], read[i], EveryKind[i].GetType().Name);
        }
    }

    [Test]
    public void Write_ReminderWithMailModel_SendsOnlyTheMailsKeyTemplateAndRecipient()
    {
        // The host applies the mail from its QueueMailOp; the plugin's model can hold anything and never crosses the pipe.
        var reminder = new Reminder
        {
            Key = "r", Title = "t", DueOn = new DateOnly(2026, 7, 1),
            Mail = new OutgoingMail { Key = "m", Template = "шаблон", To = "a@example.ru", Model = new Dictionary<string, object?> { ["секрет"] = "тайна" }, Marketing = true },
        };

        var bytes = Frames([new AddReminderOp(reminder, At)]);
        var mail = ((AddReminderOp)Read(bytes).Single()).Reminder.Mail!;

        Assert.That(Encoding.Unicode.GetString(bytes), Does.Not.Contain("секрет").And.Not.Contain("тайна"));
        Assert.That((mail.Key, mail.Template, mail.To, mail.Model.Count), Is.EqualTo(("m", "шаблон", "a@example.ru", 0)));
    }

    [Test]
    public void Read_TagsWrittenAgain_ShareTheirNameAndValueStrings()
    {
        // A rule's million tag writes name a few tags: the host makes each name and value once, not once per write.
        var read = RoundTrip([new SetClientTagOp("клиент-1", "стадия", "активный", At), new SetClientTagOp("клиент-2", "под угрозой", null, At),
            new SetClientTagOp("клиент-3", "стадия", "активный", At)]).Cast<SetClientTagOp>().ToList();

        Assert.That((read[2].ClientId, read[2].Name, read[2].Value), Is.EqualTo(("клиент-3", "стадия", "активный")));
        Assert.That(read[2].Name, Is.SameAs(read[0].Name));
        Assert.That(read[2].Value, Is.SameAs(read[0].Value));
        Assert.That(read[1].Value, Is.Null);
    }

    [Test]
    public void Read_UnknownKind_ThrowsInvalidDataException()
    {
        var bytes = Frames([new SetDataOp("k", "v")]);
        bytes[WriteOpCodec.HeaderBytes] = 99;

        Assert.Throws<InvalidDataException>(() => Read(bytes));
    }

    [Test]
    public void Read_FrameCutInsideAWrite_ThrowsInvalidDataException()
    {
        // The payload's length says where the writes end: a write running past it is refused, not read from what follows.
        var bytes = Frames([new SetDataOp("ключ", "значение")]);

        Assert.Throws<InvalidDataException>(() =>
            WriteOpCodec.ReadFrame(bytes.AsSpan(WriteOpCodec.HeaderBytes, bytes.Length - WriteOpCodec.HeaderBytes - 2), [], new WriteOpCodec.RecurringTexts()));
    }

    private static List<WriteOp> RoundTrip(IReadOnlyList<WriteOp> ops) => Read(Frames(ops));

    /// <summary>The writes' frames as a worker sends them.</summary>
    private static byte[] Frames(IReadOnlyList<WriteOp> ops)
    {
        using var output = new MemoryStream();
        WriteOpCodec.WriteFramesAsync(output, ops, new WriteOpCodec.FrameBuffer()).GetAwaiter().GetResult();
        return output.ToArray();
    }

    /// <summary>Every write of the frames in <paramref name="bytes"/>, in order.</summary>
    private static List<WriteOp> Read(byte[] bytes)
    {
        var ops = new List<WriteOp>();
        var recurring = new WriteOpCodec.RecurringTexts();
        for (var at = 0; at < bytes.Length;)
        {
            Assert.That(bytes[at], Is.EqualTo(WriteOpCodec.FrameMarker));
            var length = BitConverter.ToInt32(bytes, at + 1);
            WriteOpCodec.ReadFrame(bytes.AsSpan(at + WriteOpCodec.HeaderBytes, length), ops, recurring);
            at += WriteOpCodec.HeaderBytes + length;
        }

        return ops;
    }

    /// <summary>Asserts that <paramref name="expected"/> sets every public property and <paramref name="actual"/> has the
    /// same value for each, looking into the SDK's types a write carries.</summary>
    private static void AssertCarried(object expected, object actual, string path)
    {
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = $"{path}.{property.Name}";
            // A reminder's mail crosses as its key, template and recipient: the rest is the QueueMailOp's.
            if (name is "AddReminderOp.Reminder.Mail.Model" or "AddReminderOp.Reminder.Mail.Marketing" or "AddReminderOp.Reminder.Mail.ClientId")
            {
                continue;
            }

            var want = property.GetValue(expected);
            var got = property.GetValue(actual);
            Assert.That(want, Is.Not.Null.And.Not.EqualTo(property.PropertyType.IsValueType ? Activator.CreateInstance(property.PropertyType) : null),
                $"{name}: the sample sets every property");
            if (want is Reminder or OutgoingMail or RenderedMail or Activity or Deal)
            {
                AssertCarried(want, got!, name);
            }
            else
            {
                // DateTimeOffset's equality ignores the offset; its text does not.
                Assert.That(got?.ToString(), Is.EqualTo(want!.ToString()), name);
            }
        }
    }
}

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

        foreach (var op in EveryKind)
        {
            AssertEverySet(op, op.GetType().Name);
        }

        AssertSameWrites(EveryKind, read);
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

    [TestCase("Позвонить в ООО «Ромашка», счёт № 7")]
    [TestCase("𝔄𝔠𝔪𝔢 😀 𠜎𠜱 — 🇷🇺")]
    [TestCase("{\"kind\":1}\n\0\t\\ \u2028")]
    [TestCase("")]
    public void Read_TextsOfEveryKindOfWrite_AsWritten(string text)
    {
        // Cyrillic, characters outside the basic plane (surrogate pairs), and what JSON escapes, in every text field.
        var written = EveryKindWith(text, At, new DateOnly(2026, 7, 1));

        AssertSameWrites(written, RoundTrip(written));
    }

    [TestCaseSource(nameof(Instants))]
    public void Read_InstantsOfEveryKindOfWrite_KeepTheirTicksAndOffset(DateTimeOffset at)
    {
        var written = EveryKindWith("т", at, new DateOnly(2026, 7, 1));

        AssertSameWrites(written, RoundTrip(written));
    }

    [TestCaseSource(nameof(Days))]
    public void Read_DaysOfEveryKindOfWrite_AsWritten(DateOnly day)
    {
        var written = EveryKindWith("т", At, day);

        AssertSameWrites(written, RoundTrip(written));
    }

    [Test]
    public void Read_WritesWithEveryOptionalFieldNull_ReadThemNull()
    {
        WriteOp[] written =
        [
            new SetClientTagOp("клиент-1", "должник", null, At),
            new AddReminderOp(new Reminder { Key = "просрочка:1", Title = "Позвонить", DueOn = new DateOnly(2026, 7, 1) }, At),
            new QueueMailOp(new RenderedMail { Key = "письмо:1", To = "a@example.ru", Subject = "Счёт", Body = "Тело" }, "напоминание", At),
            new SetDataOp("курсор", null),
            new MoveDealOp("сделка-1", "переговоры", "договор", At),
            new AddActivityOp(new Activity
            {
                Id = "дело-1", PluginId = "Acme.Звонки", Kind = "звонок", Subject = "Оплата", Counterparty = new LedgerKey("бухгалтерия", "42"), RecordedAt = At,
            }),
            new OpenDealOp(new Deal
            {
                Id = "сделка-1", PluginId = "Acme.Продажи", Pipeline = "продажи", Stage = "переговоры", Title = "Поставка",
                Counterparty = new LedgerKey("бухгалтерия", "42"), CreatedAt = At,
            }),
        ];

        var read = RoundTrip(written);

        AssertSameWrites(written, read);
        var reminder = ((AddReminderOp)read[1]).Reminder;
        Assert.That(new object?[] { reminder.Counterparty, reminder.Mail, reminder.ClientId, reminder.Manager, reminder.Notes }, Is.All.Null);
        Assert.That(((QueueMailOp)read[2]).ClientId, Is.Null);
        Assert.That(((SetDataOp)read[3]).Value, Is.Null);
        Assert.That(((MoveDealOp)read[4]).Outcome, Is.Null);
    }

    [Test]
    public void Read_EmptyTexts_StayEmptyNotNull()
    {
        var read = RoundTrip([new SetDataOp("курсор", ""), new SetClientTagOp("клиент-1", "метка", "", At)]);

        Assert.That(((SetDataOp)read[0]).Value, Is.Not.Null.And.Empty);
        Assert.That(((SetClientTagOp)read[1]).Value, Is.Not.Null.And.Empty);
    }

    [Test]
    public void Read_UnpairedSurrogates_CrossAsTheirCodeUnits()
    {
        // A text crosses as its UTF-16 code units: even one UTF-8 cannot hold comes out as it went in, not replaced.
        var read = (SetClientTagOp)RoundTrip([new SetClientTagOp("клиент-1", "\uD83D", "x\uDC00y", At)]).Single();

        Assert.That((read.Name, read.Value), Is.EqualTo(("\uD83D", "x\uDC00y")));
    }

    [Test]
    public void Write_OneWriteLargerThanAFrameThenSmallOnes_ReadsEachAsWritten()
    {
        // A mail longer than a frame grows the worker's buffer for it; the next reply reuses the same buffer.
        var body = string.Concat(Enumerable.Repeat("Оплатите счёт 😀. ", (WriteOpCodec.FrameBytes / 16) + 1));
        var buffer = new WriteOpCodec.FrameBuffer();
        WriteOp[] large = [new SetDataOp("до", "1"), new QueueMailOp(new RenderedMail { Key = "п", To = "a@example.ru", Subject = "С", Body = body }, "ш", At), new SetDataOp("после", "2")];
        WriteOp[] small = [new SetDataOp("следующий", "3")];

        var first = Read(Frames(large, buffer));
        var second = Read(Frames(small, buffer));

        Assert.That(body.Length * sizeof(char), Is.GreaterThan(WriteOpCodec.FrameBytes));
        AssertSameWrites(large, first);
        AssertSameWrites(small, second);
    }

    [Test]
    public void Read_TextLongerThanItsFrame_ThrowsInvalidDataException()
    {
        // The key's length (just after the kind byte) says more code units than the frame holds, up to int.MaxValue.
        var bytes = Frames([new SetDataOp("ключ", "значение")]);
        BitConverter.TryWriteBytes(bytes.AsSpan(WriteOpCodec.HeaderBytes + 1), int.MaxValue);

        Assert.Throws<InvalidDataException>(() => Read(bytes));
    }

    [Test]
    public void Read_InstantNoWorkerWrites_ThrowsInvalidDataException()
    {
        // A tag's write ends with its instant's offset in minutes: 32,767 is past what an offset can be.
        var bytes = Frames([new SetClientTagOp("клиент-1", "метка", "да", At)]);
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 2), short.MaxValue);

        Assert.Throws<InvalidDataException>(() => Read(bytes));
    }

    private static IEnumerable<DateTimeOffset> Instants()
    {
        var clock = new DateTime(2026, 6, 30, 9, 15, 30).AddTicks(1_234_567);
        foreach (var offset in new[] { TimeSpan.Zero, TimeSpan.FromHours(-12), new TimeSpan(-3, -30, 0), new TimeSpan(5, 45, 0), TimeSpan.FromHours(14) })
        {
            yield return new DateTimeOffset(clock, offset);
        }

        yield return DateTimeOffset.MinValue;
        yield return DateTimeOffset.MaxValue;
    }

    private static IEnumerable<DateOnly> Days() => [DateOnly.MinValue, new DateOnly(2024, 2, 29), DateOnly.MaxValue];

    /// <summary>One write of every kind, every property set: each text <paramref name="text"/> after its field's name, so
    /// that two fields read in each other's place differ.</summary>
    private static WriteOp[] EveryKindWith(string text, DateTimeOffset at, DateOnly day)
    {
        string T(string field) => field + text;
        var counterparty = new LedgerKey(T("ledger"), T("id"));
        return
        [
            new SetClientTagOp(T("client"), T("name"), T("value"), at),
            new AddReminderOp(
                new Reminder
                {
                    Key = T("key"), Title = T("title"), DueOn = day, Counterparty = counterparty,
                    Mail = new OutgoingMail { Key = T("mailKey"), Template = T("template"), To = T("to") }, ClientId = T("client"), Manager = T("manager"), Notes = T("notes"),
                },
                at),
            new QueueMailOp(new RenderedMail { Key = T("mailKey"), To = T("to"), Subject = T("subject"), Body = T("body") }, T("template"), at, Marketing: true, ClientId: T("client")),
            new SetDataOp(T("key"), T("value")),
            new MoveDealOp(T("deal"), T("from"), T("to"), at, T("outcome")),
            new AddActivityOp(new Activity
            {
                Id = T("activity"), PluginId = T("plugin"), Kind = T("kind"), Subject = T("subject"), Notes = T("notes"), Counterparty = counterparty, RecordedAt = at,
                ClientId = T("client"), OccurredAt = at, Manager = T("manager"), Channel = T("channel"), Direction = T("direction"), Outcome = T("outcome"), DealId = T("deal"),
            }),
            new OpenDealOp(new Deal
            {
                Id = T("deal"), PluginId = T("plugin"), Pipeline = T("pipeline"), Stage = T("stage"), Title = T("title"), Amount = -1234.50m, Counterparty = counterparty,
                CreatedAt = at, ClientId = T("client"), Owner = T("owner"), ExpectedClose = day,
            }),
        ];
    }

    private static void AssertSameWrites(WriteOp[] expected, List<WriteOp> actual)
    {
        Assert.That(actual.Select(op => op.GetType()), Is.EqualTo(expected.Select(op => op.GetType())));
        for (var i = 0; i < expected.Length; i++)
        {
            AssertSame(expected[i], actual[i], expected[i].GetType().Name);
        }
    }

    /// <summary>Asserts that every public property of <paramref name="actual"/>, set or null, is as in <paramref name="expected"/>:
    /// texts ordinally, instants by their ticks and offset, looking into the SDK's types a write carries.</summary>
    private static void AssertSame(object expected, object actual, string path)
    {
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = $"{path}.{property.Name}";
            var want = property.GetValue(expected);
            var got = property.GetValue(actual);
            if (!Crosses(name))
            {
                continue;
            }

            if (want is null)
            {
                Assert.That(got, Is.Null, name);
            }
            else if (want is Reminder or OutgoingMail or RenderedMail or Activity or Deal)
            {
                Assert.That(got, Is.Not.Null, name);
                AssertSame(want, got!, name);
            }
            else if (want is DateTimeOffset instant)
            {
                Assert.That(got is DateTimeOffset g ? (g.Ticks, g.Offset) : default, Is.EqualTo((instant.Ticks, instant.Offset)), name);
            }
            else
            {
                Assert.That(got, Is.EqualTo(want), name);
            }
        }
    }

    private static List<WriteOp> RoundTrip(IReadOnlyList<WriteOp> ops) => Read(Frames(ops));

    /// <summary>The writes' frames as a worker sends them.</summary>
    private static byte[] Frames(IReadOnlyList<WriteOp> ops, WriteOpCodec.FrameBuffer? buffer = null)
    {
        using var output = new MemoryStream();
        WriteOpCodec.WriteFramesAsync(output, ops, buffer ?? new WriteOpCodec.FrameBuffer()).GetAwaiter().GetResult();
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

    /// <summary>Asserts that <paramref name="value"/> sets every public property that crosses, looking into the SDK's
    /// types a write carries.</summary>
    private static void AssertEverySet(object value, string path)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = $"{path}.{property.Name}";
            var set = property.GetValue(value);
            if (Crosses(name))
            {
                Assert.That(set, Is.Not.Null.And.Not.EqualTo(property.PropertyType.IsValueType ? Activator.CreateInstance(property.PropertyType) : null),
                    $"{name}: the sample sets every property");
                if (set is Reminder or OutgoingMail or RenderedMail or Activity or Deal)
                {
                    AssertEverySet(set, name);
                }
            }
        }
    }

    /// <summary>A reminder's mail crosses as its key, template and recipient: the rest is the QueueMailOp's.</summary>
    private static bool Crosses(string property) =>
        property is not ("AddReminderOp.Reminder.Mail.Model" or "AddReminderOp.Reminder.Mail.Marketing" or "AddReminderOp.Reminder.Mail.ClientId");

}

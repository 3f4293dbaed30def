using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Workers;

/// <summary>A plugin's write operations on the worker protocol, in binary frames: a first evaluation at a million
/// counterparties sends about 1.2 million of them (tags, reminders, rendered mails) from its workers to the host.</summary>
/// <remarks>
/// <para>As JSON, every text crossed three conversions (UTF-16 to UTF-8 with an escaping scan in the worker, UTF-8
/// validated and decoded to UTF-16 in the host), every instant was formatted and parsed again, and every property name
/// was written and checked: at a million counterparties most of what the workers added to a first evaluation that was not
/// their starts. Here a text goes as its UTF-16 code units, copied as they are (a Russian mail's body is as many bytes as
/// in UTF-8, and markup twice as many, which a pipe moves for far less than a conversion costs), an instant as its ticks
/// and offset, a day as its number, each write as a kind byte and its fields in a fixed order. Host and worker are the
/// same executable on the same machine, so the layout and the byte order are never out of step.</para>
/// <para>A frame is a zero byte (which no JSON line starts with: <see cref="ReplyReader"/> tells the two apart by it), its
/// payload's length as four bytes, and writes up to that length. A reply's writes go ahead of its JSON line in frames of
/// about <see cref="FrameBytes"/>, so that the host reads one while the worker writes the next and neither holds the
/// reply's text whole.</para>
/// <para>A reminder's mail goes as its key, template and recipient only: the host applies the mail from its
/// <see cref="QueueMailOp"/>, and the plugin's model, which can hold anything, never crosses the pipe. Activities and
/// deals (written by jobs and event handlers, a few at a time) go as the serializer's JSON of the SDK's types.</para>
/// </remarks>
internal static class WriteOpCodec
{
    /// <summary>What a frame of writes starts with; a JSON line starts with <c>{</c>.</summary>
    public const byte FrameMarker = 0;

    /// <summary>The marker and the payload's length.</summary>
    public const int HeaderBytes = 5;

    /// <summary>How large a frame grows before it is sent: the writes that fill it and one more.</summary>
    public const int FrameBytes = 1 << 20;

    private enum Kind : byte
    {
        Tag = 1,
        Reminder,
        Mail,
        Data,
        Move,
        Activity,
        Deal,
    }

    /// <summary>Writes <paramref name="ops"/> to <paramref name="output"/> in frames, reusing <paramref name="buffer"/>.</summary>
    public static async Task WriteFramesAsync(Stream output, IReadOnlyList<WriteOp> ops, FrameBuffer buffer)
    {
        buffer.Begin();
        foreach (var op in ops)
        {
            Write(buffer, op);
            if (buffer.PayloadLength >= FrameBytes)
            {
                await output.WriteAsync(buffer.End()).ConfigureAwait(false);
                buffer.Begin();
            }
        }

        if (buffer.PayloadLength > 0)
        {
            await output.WriteAsync(buffer.End()).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the writes of one frame's payload and adds them to <paramref name="ops"/>.</summary>
    /// <exception cref="InvalidDataException">The payload is not writes as <see cref="WriteFramesAsync"/> writes them.</exception>
    public static void ReadFrame(ReadOnlySpan<byte> payload, List<WriteOp> ops, RecurringTexts recurring)
    {
        var reader = new FrameReader(payload);
        try
        {
            while (!reader.AtEnd)
            {
                ops.Add(Read(ref reader, recurring));
            }
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or JsonException)
        {
            // A day, an instant or an activity's or deal's JSON that no worker writes: the frame is not writes either.
            throw new InvalidDataException($"A frame of writes holds a value no worker writes: {ex.Message}", ex);
        }
    }

    private static void Write(FrameBuffer w, WriteOp value)
    {
        switch (value)
        {
            case SetClientTagOp tag:
                w.Byte((byte)Kind.Tag);
                w.Texts(tag.ClientId, tag.Name, tag.Value);
                w.Instant(tag.At);
                break;
            case AddReminderOp { Reminder: var r } add:
                w.Byte((byte)Kind.Reminder);
                w.Texts(r.Key, r.Title);
                w.Int32(r.DueOn.DayNumber);
                w.Texts(r.Counterparty?.Ledger, r.Counterparty?.Id, r.Mail?.Key, r.Mail?.Template, r.Mail?.To, r.ClientId, r.Manager, r.Notes);
                w.Instant(add.At);
                break;
            case QueueMailOp mail:
                w.Byte((byte)Kind.Mail);
                w.Texts(mail.Mail.Key, mail.Mail.To, mail.Mail.Subject, mail.Mail.Body, mail.Template);
                w.Byte(mail.Marketing ? (byte)1 : (byte)0);
                w.Text(mail.ClientId);
                w.Instant(mail.At);
                break;
            case SetDataOp data:
                w.Byte((byte)Kind.Data);
                w.Texts(data.Key, data.Value);
                break;
            case MoveDealOp move:
                w.Byte((byte)Kind.Move);
                w.Texts(move.DealId, move.From, move.To, move.Outcome);
                w.Instant(move.At);
                break;
            case AddActivityOp activity:
                w.Byte((byte)Kind.Activity);
                w.Text(JsonSerializer.Serialize(activity.Activity, WorkerProtocol.Json));
                break;
            case OpenDealOp deal:
                w.Byte((byte)Kind.Deal);
                w.Text(JsonSerializer.Serialize(deal.Deal, WorkerProtocol.Json));
                break;
            default:
                throw new InvalidOperationException($"{value.GetType().Name} has no form on the worker protocol.");
        }
    }

    private static WriteOp Read(ref FrameReader r, RecurringTexts recurring)
    {
        switch ((Kind)r.Byte())
        {
            case Kind.Tag:
                var client = Required(r.Text(), "tag's client");
                var name = Required(recurring.Names.Read(ref r), "tag's name");
                return new SetClientTagOp(client, name, recurring.Values.Read(ref r), r.Instant());
            case Kind.Reminder:
                var key = Required(r.Text(), "reminder's key");
                var title = Required(r.Text(), "reminder's title");
                var dueOn = DateOnly.FromDayNumber(r.Int32());
                var ledger = r.Text();
                var id = r.Text();
                var mailKey = r.Text();
                var template = recurring.Templates.Read(ref r);
                var to = r.Text();
                var reminder = new Reminder
                {
                    Key = key,
                    Title = title,
                    DueOn = dueOn,
                    Counterparty = ledger is null ? null : new LedgerKey(ledger, Required(id, "reminder's counterparty id")),
                    Mail = mailKey is null ? null : new OutgoingMail { Key = mailKey, Template = Required(template, "reminder mail's template"), To = Required(to, "reminder mail's recipient") },
                    ClientId = r.Text(),
                    Manager = r.Text(),
                    Notes = r.Text(),
                };
                return new AddReminderOp(reminder, r.Instant());
            case Kind.Mail:
                var rendered = new RenderedMail
                {
                    Key = Required(r.Text(), "mail's key"), To = Required(r.Text(), "mail's recipient"), Subject = Required(r.Text(), "mail's subject"),
                    Body = Required(r.Text(), "mail's body"),
                };
                var mailTemplate = Required(recurring.Templates.Read(ref r), "mail's template");
                var marketing = r.Byte() != 0;
                var mailClient = r.Text();
                return new QueueMailOp(rendered, mailTemplate, r.Instant(), marketing, mailClient);
            case Kind.Data:
                return new SetDataOp(Required(r.Text(), "data's key"), r.Text());
            case Kind.Move:
                var (deal, from, moveTo, outcome) = (Required(r.Text(), "move's deal"), Required(r.Text(), "move's stage"), Required(r.Text(), "move's target"), r.Text());
                return new MoveDealOp(deal, from, moveTo, r.Instant(), outcome);
            case Kind.Activity:
                return new AddActivityOp(JsonSerializer.Deserialize<Activity>(Required(r.Text(), "activity"), WorkerProtocol.Json)
                    ?? throw new InvalidDataException("An activity's write without its activity."));
            case Kind.Deal:
                return new OpenDealOp(JsonSerializer.Deserialize<Deal>(Required(r.Text(), "deal"), WorkerProtocol.Json)
                    ?? throw new InvalidDataException("A deal's write without its deal."));
            case var kind:
                throw new InvalidDataException($"Unknown kind of write {(byte)kind}.");
        }
    }

    private static string Required(string? text, string what) => text ?? throw new InvalidDataException($"A write's {what} is missing.");

    /// <summary>The worker's frame under construction, kept between replies so that its array is allocated once.</summary>
    internal sealed class FrameBuffer
    {
        private byte[] _bytes = new byte[FrameBytes + (FrameBytes / 4)];
        private int _length;

        public int PayloadLength => _length - HeaderBytes;

        public void Begin() => _length = HeaderBytes;

        /// <summary>The frame, its header filled in.</summary>
        public ReadOnlyMemory<byte> End()
        {
            _bytes[0] = FrameMarker;
            BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(1), PayloadLength);
            return _bytes.AsMemory(0, _length);
        }

        public void Byte(byte value) => Take(1)[0] = value;

        public void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

        /// <summary>The instant as its clock time's ticks and its offset in minutes: exactly what it was, offset included.</summary>
        public void Instant(DateTimeOffset value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(Take(8), value.Ticks);
            BinaryPrimitives.WriteInt16LittleEndian(Take(2), (short)value.TotalOffsetMinutes);
        }

        /// <summary>Each text in turn, as <see cref="Text"/> writes it.</summary>
        public void Texts(params ReadOnlySpan<string?> values)
        {
            foreach (var value in values)
            {
                Text(value);
            }
        }

        /// <summary>The text's length in code units (-1 for null), then its code units as they are in memory.</summary>
        public void Text(string? value)
        {
            Int32(value?.Length ?? -1);
            if (value is { Length: > 0 })
            {
                MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(Take(value.Length * sizeof(char)));
            }
        }

        private Span<byte> Take(int count)
        {
            if (_length + count > _bytes.Length)
            {
                // One write larger than what is left (a very long mail): the frame grows for it.
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + count));
            }

            var span = _bytes.AsSpan(_length, count);
            _length += count;
            return span;
        }
    }

    /// <summary>Reads a frame's payload in order; a frame cut short throws instead of reading past its end.</summary>
    internal ref struct FrameReader(ReadOnlySpan<byte> payload)
    {
        private readonly ReadOnlySpan<byte> _payload = payload;
        private int _position;

        public readonly bool AtEnd => _position == _payload.Length;

        public byte Byte() => Take(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public DateTimeOffset Instant()
        {
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
            return new DateTimeOffset(ticks, TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(Take(2))));
        }

        public string? Text() => TextUnits(out var units) ? new string(units) : null;

        /// <summary>Reads a text's code units without making a string of them.</summary>
        /// <returns>False for null.</returns>
        public bool TextUnits(out ReadOnlySpan<char> units)
        {
            var length = Int32();
            if (length < 0)
            {
                units = default;
                return false;
            }

            if (length > (_payload.Length - _position) / sizeof(char))
            {
                throw new InvalidDataException("A frame of writes ends inside a text.");
            }

            units = MemoryMarshal.Cast<byte, char>(Take(length * sizeof(char)));
            return true;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _payload.Length - _position)
            {
                throw new InvalidDataException("A frame of writes ends inside a write.");
            }

            var span = _payload.Slice(_position, count);
            _position += count;
            return span;
        }
    }

    /// <summary>The values a rule writes over and over (a tag's name and value, a mail's template), made once and handed out
    /// again while they recur: a plugin's million tag writes name the same few tags and values, which in process are the
    /// plugin's own few strings. One per reader of a worker's replies, which reads one reply at a time.</summary>
    internal sealed class RecurringTexts
    {
        public Recurring Names { get; } = new();

        public Recurring Values { get; } = new();

        public Recurring Templates { get; } = new();
    }

    /// <summary>The last few values of one field.</summary>
    internal sealed class Recurring
    {
        private const int Kept = 8;
        private readonly string?[] _values = new string?[Kept];
        private int _next;

        /// <summary>Reads a text, null as null; one equal to a value kept is that value.</summary>
        public string? Read(ref FrameReader reader)
        {
            if (!reader.TextUnits(out var units))
            {
                return null;
            }

            foreach (var known in _values)
            {
                if (known is not null && units.SequenceEqual(known))
                {
                    return known;
                }
            }

            var value = new string(units);
            _values[_next] = value;
            _next = (_next + 1) % Kept;
            return value;
        }
    }
}

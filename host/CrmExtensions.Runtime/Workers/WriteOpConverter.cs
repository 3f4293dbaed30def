using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Workers;

/// <summary>Writes and reads a plugin's write operations on the worker protocol by hand: a first evaluation at a million
/// counterparties sends about 1.2 million of them (tags, reminders, rendered mails) from its workers to the host.</summary>
/// <remarks>
/// <para>For each write, the reflection-based serializer looked up the operation's type among the derived types and
/// bound a record's constructor through an argument buffer on the way back; its accessors, emitted at run time, and its
/// code for every value type a write holds are what the precompiled build output cannot hold, so each worker and the
/// host compiled them again. This converter is plain code in crmx's own assembly, precompiled with it: each operation
/// is an object whose first property names its kind, then its fields in a fixed order, every one written (null when
/// absent), so the reader takes them in that order and checks each name, without a lookup. Host and worker are the
/// same executable, so the order is never out of step.</para>
/// <para>A reminder's mail goes as its key, template and recipient only: the host applies the mail from its
/// <see cref="QueueMailOp"/>, and the plugin's model, which can hold anything, never crosses the pipe.</para>
/// <para>The values a rule writes over and over (a tag's name and value, a mail's template) are made once per thread
/// and handed out again while they recur (<see cref="Recurring"/>): a plugin's million tag writes name the same few tags
/// and values, which in process are the plugin's own few strings.</para>
/// <para>Activities and deals (written by jobs and event handlers, a few at a time) go through the serializer as the
/// SDK's types.</para>
/// </remarks>
internal sealed class WriteOpConverter : JsonConverter<WriteOp>
{
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText TagKind = JsonEncodedText.Encode("tag");
    private static readonly JsonEncodedText ReminderKind = JsonEncodedText.Encode("reminder");
    private static readonly JsonEncodedText MailKind = JsonEncodedText.Encode("mail");
    private static readonly JsonEncodedText DataKind = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText MoveKind = JsonEncodedText.Encode("move");
    private static readonly JsonEncodedText ActivityKind = JsonEncodedText.Encode("activity");
    private static readonly JsonEncodedText DealKind = JsonEncodedText.Encode("deal");

    private static readonly JsonEncodedText At = JsonEncodedText.Encode("at");
    private static readonly JsonEncodedText Client = JsonEncodedText.Encode("client");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
    private static readonly JsonEncodedText DueOn = JsonEncodedText.Encode("dueOn");
    private static readonly JsonEncodedText Ledger = JsonEncodedText.Encode("ledger");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText MailKey = JsonEncodedText.Encode("mailKey");
    private static readonly JsonEncodedText Template = JsonEncodedText.Encode("template");
    private static readonly JsonEncodedText To = JsonEncodedText.Encode("to");
    private static readonly JsonEncodedText Manager = JsonEncodedText.Encode("manager");
    private static readonly JsonEncodedText Notes = JsonEncodedText.Encode("notes");
    private static readonly JsonEncodedText Subject = JsonEncodedText.Encode("subject");
    private static readonly JsonEncodedText Body = JsonEncodedText.Encode("body");
    private static readonly JsonEncodedText Marketing = JsonEncodedText.Encode("marketing");
    private static readonly JsonEncodedText Deal = JsonEncodedText.Encode("deal");
    private static readonly JsonEncodedText From = JsonEncodedText.Encode("from");
    private static readonly JsonEncodedText Outcome = JsonEncodedText.Encode("outcome");
    private static readonly JsonEncodedText Activity = JsonEncodedText.Encode("activity");

    public override void Write(Utf8JsonWriter writer, WriteOp value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        switch (value)
        {
            case SetClientTagOp tag:
                Strings(writer, TagKind, (Client, tag.ClientId), (Name, tag.Name), (Value, tag.Value));
                writer.WriteString(At, tag.At);
                break;
            case AddReminderOp { Reminder: var r } add:
                Strings(writer, ReminderKind, (Key, r.Key), (Title, r.Title));
                WriteDay(writer, DueOn, r.DueOn);
                Strings(writer, null, (Ledger, r.Counterparty?.Ledger), (Id, r.Counterparty?.Id), (MailKey, r.Mail?.Key), (Template, r.Mail?.Template),
                    (To, r.Mail?.To), (Client, r.ClientId), (Manager, r.Manager), (Notes, r.Notes));
                writer.WriteString(At, add.At);
                break;
            case QueueMailOp mail:
                Strings(writer, MailKind, (Key, mail.Mail.Key), (To, mail.Mail.To), (Subject, mail.Mail.Subject), (Body, mail.Mail.Body), (Template, mail.Template));
                writer.WriteBoolean(Marketing, mail.Marketing);
                Strings(writer, null, (Client, mail.ClientId));
                writer.WriteString(At, mail.At);
                break;
            case SetDataOp data:
                Strings(writer, DataKind, (Key, data.Key), (Value, data.Value));
                break;
            case MoveDealOp move:
                Strings(writer, MoveKind, (Deal, move.DealId), (From, move.From), (To, move.To), (Outcome, move.Outcome));
                writer.WriteString(At, move.At);
                break;
            case AddActivityOp activity:
                writer.WriteString(Kind, ActivityKind);
                writer.WritePropertyName(Activity);
                JsonSerializer.Serialize(writer, activity.Activity, options);
                break;
            case OpenDealOp deal:
                writer.WriteString(Kind, DealKind);
                writer.WritePropertyName(Deal);
                JsonSerializer.Serialize(writer, deal.Deal, options);
                break;
            default:
                throw new JsonException($"{value.GetType().Name} has no form on the worker protocol.");
        }

        writer.WriteEndObject();
    }

    public override WriteOp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A write is a JSON object.");
        }

        WriteOp op;
        Property(ref reader, Kind);
        if (reader.ValueTextEquals(TagKind.EncodedUtf8Bytes))
        {
            var client = Text(ref reader, Client);
            var name = Recurring.Names.Read(ref reader, Name) ?? throw new JsonException("A tag's write without its name.");
            op = new SetClientTagOp(client, name, Recurring.Values.Read(ref reader, Value), Instant(ref reader, At));
        }
        else if (reader.ValueTextEquals(ReminderKind.EncodedUtf8Bytes))
        {
            op = ReadReminder(ref reader);
        }
        else if (reader.ValueTextEquals(MailKind.EncodedUtf8Bytes))
        {
            var rendered = new RenderedMail { Key = Text(ref reader, Key), To = Text(ref reader, To), Subject = Text(ref reader, Subject), Body = Text(ref reader, Body) };
            var template = Recurring.Templates.Read(ref reader, Template) ?? throw new JsonException("A mail's write without its template.");
            var marketing = Boolean(ref reader, Marketing);
            var client = OptionalText(ref reader, Client);
            op = new QueueMailOp(rendered, template, Instant(ref reader, At), marketing, client);
        }
        else if (reader.ValueTextEquals(DataKind.EncodedUtf8Bytes))
        {
            op = new SetDataOp(Text(ref reader, Key), OptionalText(ref reader, Value));
        }
        else if (reader.ValueTextEquals(MoveKind.EncodedUtf8Bytes))
        {
            var (deal, from, to, outcome) = (Text(ref reader, Deal), Text(ref reader, From), Text(ref reader, To), OptionalText(ref reader, Outcome));
            op = new MoveDealOp(deal, from, to, Instant(ref reader, At), outcome);
        }
        else if (reader.ValueTextEquals(ActivityKind.EncodedUtf8Bytes))
        {
            Property(ref reader, Activity);
            op = new AddActivityOp(JsonSerializer.Deserialize<Activity>(ref reader, options) ?? throw new JsonException("An activity's write without its activity."));
        }
        else if (reader.ValueTextEquals(DealKind.EncodedUtf8Bytes))
        {
            Property(ref reader, Deal);
            op = new OpenDealOp(JsonSerializer.Deserialize<Deal>(ref reader, options) ?? throw new JsonException("A deal's write without its deal."));
        }
        else
        {
            throw new JsonException($"Unknown kind of write '{reader.GetString()}'.");
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("A write has more properties than its kind's.");
        }

        return op;
    }

    private static AddReminderOp ReadReminder(ref Utf8JsonReader reader)
    {
        var key = Text(ref reader, Key);
        var title = Text(ref reader, Title);
        var dueOn = Day(ref reader, DueOn);
        var ledger = OptionalText(ref reader, Ledger);
        var id = OptionalText(ref reader, Id);
        var mailKey = OptionalText(ref reader, MailKey);
        var template = Recurring.Templates.Read(ref reader, Template);
        var to = OptionalText(ref reader, To);
        var reminder = new Reminder
        {
            Key = key,
            Title = title,
            DueOn = dueOn,
            Counterparty = ledger is null ? null : new LedgerKey(ledger, id!),
            Mail = mailKey is null ? null : new OutgoingMail { Key = mailKey, Template = template!, To = to! },
            ClientId = OptionalText(ref reader, Client),
            Manager = OptionalText(ref reader, Manager),
            Notes = OptionalText(ref reader, Notes),
        };
        return new AddReminderOp(reminder, Instant(ref reader, At));
    }

    /// <summary>Moves to the next property, which must be <paramref name="name"/>, and onto its value.</summary>
    private static void Property(ref Utf8JsonReader reader, JsonEncodedText name)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(name.EncodedUtf8Bytes))
        {
            throw new JsonException($"A write's property '{name}' was expected here.");
        }

        reader.Read();
    }

    private static string? OptionalText(ref Utf8JsonReader reader, JsonEncodedText name)
    {
        Property(ref reader, name);
        return reader.GetString();
    }

    private static string Text(ref Utf8JsonReader reader, JsonEncodedText name) =>
        OptionalText(ref reader, name) ?? throw new JsonException($"A write's '{name}' is null.");

    private static bool Boolean(ref Utf8JsonReader reader, JsonEncodedText name)
    {
        Property(ref reader, name);
        return reader.GetBoolean();
    }

    private static DateTimeOffset Instant(ref Utf8JsonReader reader, JsonEncodedText name)
    {
        Property(ref reader, name);
        return reader.GetDateTimeOffset();
    }

    /// <summary>Writes the write's kind, when given, then each text property in turn (null as null).</summary>
    private static void Strings(Utf8JsonWriter writer, JsonEncodedText? kind, params ReadOnlySpan<(JsonEncodedText Name, string? Value)> properties)
    {
        if (kind is { } k)
        {
            writer.WriteString(Kind, k);
        }

        foreach (var (name, value) in properties)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteDay(Utf8JsonWriter writer, JsonEncodedText name, DateOnly day)
    {
        Span<char> text = stackalloc char[10];
        day.TryFormat(text, out var length, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        writer.WriteString(name, text[..length]);
    }

    private static DateOnly Day(ref Utf8JsonReader reader, JsonEncodedText name)
    {
        Property(ref reader, name);
        Span<char> text = stackalloc char[10];
        var length = reader.CopyString(text);
        return DateOnly.ParseExact(text[..length], "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The last few values of one field read on this thread, handed out again when the same text recurs instead
    /// of a new string each time. Per thread: the host reads several workers' replies at once, each line on one thread.</summary>
    private sealed class Recurring
    {
        private const int Kept = 8;
        private readonly string?[] _values = new string?[Kept];
        private readonly byte[]?[] _utf8 = new byte[]?[Kept];
        private int _next;

        [ThreadStatic]
        private static Recurring? t_names;

        [ThreadStatic]
        private static Recurring? t_values;

        [ThreadStatic]
        private static Recurring? t_templates;

        public static Recurring Names => t_names ??= new();

        public static Recurring Values => t_values ??= new();

        public static Recurring Templates => t_templates ??= new();

        /// <summary>Reads the property <paramref name="name"/>'s text, null as null.</summary>
        public string? Read(ref Utf8JsonReader reader, JsonEncodedText name)
        {
            Property(ref reader, name);
            if (reader.TokenType == JsonTokenType.Null || reader.ValueIsEscaped || reader.HasValueSequence)
            {
                return reader.GetString();
            }

            var text = reader.ValueSpan;
            for (var i = 0; i < Kept; i++)
            {
                if (_utf8[i] is { } known && text.SequenceEqual(known))
                {
                    return _values[i];
                }
            }

            var value = reader.GetString()!;
            _values[_next] = value;
            _utf8[_next] = text.ToArray();
            _next = (_next + 1) % Kept;
            return value;
        }
    }
}

using System.Text.Json;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Runtime.Workspace;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reports;

namespace CrmExtensions.Runtime.Workers;

/// <summary>A reply's line (<see cref="WorkerReply"/> less its writes), written and read member by member: the same JSON
/// the serializer writes with <see cref="WorkerProtocol.Json"/>, without building its metadata for the reply's whole graph
/// in every worker and in the host.</summary>
/// <remarks>
/// Every worker answers a <c>describe</c> and its rules' evaluations; the serializer's reflection over
/// <see cref="WorkerReply"/> (a report's table, views, refusals, the plugin's shape) and the code it compiles for it took
/// 0.04 to 0.05 s of CPU of the 0.2 s a worker took to start and describe its plugin. What only a report, a listing, a
/// page or a guard carries is still handed to the serializer, and only when present; a plugin's pipelines are written by
/// hand too, since the shape of every plugin that defines one crosses at each start.
/// </remarks>
internal static class ReplyLine
{
    public static void Write(Utf8JsonWriter w, WorkerReply reply)
    {
        w.WriteStartObject();
        w.WriteBoolean("ok", reply.Ok);
        Optional(w, "problem", reply.Problem);
        Optional(w, "fatal", reply.Fatal);
        Optional(w, "timedOut", reply.TimedOut);
        Texts(w, "returned", reply.Returned);
        Texts(w, "rejected", reply.Rejected);
        Serialized(w, "refusals", reply.Refusals);
        Serialized(w, "table", reply.Table);
        Serialized(w, "listing", reply.Listing);
        Serialized(w, "views", reply.Views);
        Optional(w, "id", reply.Id);
        if (reply.Shape is { } shape)
        {
            w.WritePropertyName("shape");
            Write(w, shape);
        }

        w.WriteEndObject();
    }

    /// <exception cref="JsonException">The line is not a reply.</exception>
    public static WorkerReply Read(ReadOnlyMemory<byte> line)
    {
        try
        {
            return ReadReply(line);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A member of another kind than a reply's (a number for a text, a text for a flag).
            throw new JsonException($"Not a reply: {e.Message}", e);
        }
    }

    private static WorkerReply ReadReply(ReadOnlyMemory<byte> line)
    {
        using var document = JsonDocument.Parse(line);
        var r = document.RootElement;
        if (r.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A reply is an object, not {r.ValueKind}.");
        }

        return new WorkerReply
        {
            Ok = Member(r, "ok") is { } ok && ok.GetBoolean(),
            Problem = Member(r, "problem")?.GetString(),
            Fatal = Member(r, "fatal")?.GetBoolean(),
            TimedOut = Member(r, "timedOut")?.GetBoolean(),
            Returned = Texts(Member(r, "returned")),
            Rejected = Texts(Member(r, "rejected")),
            Refusals = Member(r, "refusals")?.Deserialize<List<GuardRefusal>>(WorkerProtocol.Json),
            Table = Member(r, "table")?.Deserialize<ReportTable>(WorkerProtocol.Json),
            Listing = Member(r, "listing")?.Deserialize<List<PluginListing>>(WorkerProtocol.Json),
            Views = Member(r, "views")?.Deserialize<List<PluginView>>(WorkerProtocol.Json),
            Id = Member(r, "id")?.GetString(),
            Shape = Member(r, "shape") is { } shape ? ReadShape(shape) : null,
        };
    }

    private static void Write(Utf8JsonWriter w, PluginShape shape)
    {
        w.WriteStartObject();
        Objects(w, "rules", shape.Rules, (w, rule) =>
        {
            w.WriteString("name", rule.Name);
            w.WriteString("title", rule.Title);
            w.WriteBoolean("everyCycle", rule.EveryCycle);
        });
        Objects(w, "handlers", shape.Handlers, (w, handler) =>
        {
            w.WriteString("name", handler.Name);
            w.WriteString("title", handler.Title);
            Texts(w, "eventTypes", handler.EventTypes);
        });
        Objects(w, "jobs", shape.Jobs, (w, job) =>
        {
            w.WriteString("name", job.Name);
            Optional(w, "dailyAt", job.DailyAt);
            if (job.EverySeconds is { } everySeconds)
            {
                w.WriteNumber("everySeconds", everySeconds);
            }
        });
        Texts(w, "guards", shape.Guards);
        Texts(w, "reports", shape.Reports);
        Texts(w, "panels", shape.Panels);
        Texts(w, "pages", shape.Pages);
        Objects(w, "pipelines", shape.Pipelines, (w, pipeline) =>
        {
            Optional(w, "name", pipeline.Name);
            Texts(w, "stages", pipeline.Stages);
            if (pipeline.Moves is { } moves)
            {
                Objects(w, "moves", moves, (w, move) =>
                {
                    Optional(w, "from", move.From);
                    Optional(w, "to", move.To);
                });
            }

            Texts(w, "wonStages", pipeline.WonStages);
            Texts(w, "lostStages", pipeline.LostStages);
        });

        w.WriteString("contributes", shape.Contributes);
        w.WriteEndObject();
    }

    private static PluginShape ReadShape(JsonElement s) => new(
        Required(s, "rules").EnumerateArray().Select(r => new RuleShape(Text(r, "name"), Text(r, "title"), Required(r, "everyCycle").GetBoolean())).ToList(),
        Required(s, "handlers").EnumerateArray().Select(h => new HandlerShape(Text(h, "name"), Text(h, "title"), Texts(Required(h, "eventTypes"))!)).ToList(),
        Required(s, "jobs").EnumerateArray().Select(j => new JobShape(Text(j, "name"), Member(j, "dailyAt")?.GetString(), Member(j, "everySeconds")?.GetInt64())).ToList(),
        Texts(Required(s, "guards"))!,
        Texts(Required(s, "reports"))!,
        Texts(Required(s, "panels"))!,
        Texts(Required(s, "pages"))!,
        Required(s, "pipelines").EnumerateArray().Select(ReadPipeline).ToList(),
        Text(s, "contributes"));

    /// <summary>A pipeline as the serializer reads it: its name and stages required, the lists it leaves out as their defaults.</summary>
    private static PipelineDefinition ReadPipeline(JsonElement p) => new()
    {
        Name = Text(p, "name"),
        Stages = Texts(Required(p, "stages"))!,
        Moves = Member(p, "moves")?.EnumerateArray().Select(m => new StageMove(Member(m, "from")?.GetString()!, Member(m, "to")?.GetString()!)).ToList() ?? [],
        WonStages = Texts(Member(p, "wonStages")) ?? [],
        LostStages = Texts(Member(p, "lostStages")) ?? [],
    };

    private static void Objects<T>(Utf8JsonWriter w, string name, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> members)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            w.WriteStartObject();
            members(w, item);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    // What the serializer leaves out when null.
    private static void Optional(Utf8JsonWriter w, string name, string? text)
    {
        if (text is not null)
        {
            w.WriteString(name, text);
        }
    }

    private static void Optional(Utf8JsonWriter w, string name, bool? flag)
    {
        if (flag is { } value)
        {
            w.WriteBoolean(name, value);
        }
    }

    private static void Texts(Utf8JsonWriter w, string name, IReadOnlyList<string>? texts)
    {
        if (texts is null)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var text in texts)
        {
            w.WriteStringValue(text);
        }

        w.WriteEndArray();
    }

    private static List<string>? Texts(JsonElement? array)
    {
        if (array is not { } a)
        {
            return null;
        }

        var texts = new List<string>(a.GetArrayLength());
        foreach (var item in a.EnumerateArray())
        {
            texts.Add(item.GetString() ?? throw new JsonException("A list of texts holds a null."));
        }

        return texts;
    }

    private static void Serialized<T>(Utf8JsonWriter w, string name, T? value)
        where T : class
    {
        if (value is not null)
        {
            w.WritePropertyName(name);
            JsonSerializer.Serialize(w, value, WorkerProtocol.Json);
        }
    }

    /// <summary>A member's value; null when it is absent or null (the serializer leaves nulls out).</summary>
    private static JsonElement? Member(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement Required(JsonElement o, string name) =>
        Member(o, name) ?? throw new JsonException($"A reply's '{name}' is missing.");

    private static string Text(JsonElement o, string name) => Required(o, name).GetString()!;
}

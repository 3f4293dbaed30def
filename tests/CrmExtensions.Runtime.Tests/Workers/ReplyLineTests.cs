using System.Buffers;
using System.Text;
using System.Text.Json;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Runtime.Workers;
using CrmExtensions.Runtime.Workspace;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reports;

// Not CrmExtensions.Runtime.Tests.Workers: the tests' worker options are the class of that name.
namespace CrmExtensions.Runtime.Tests;

public sealed class ReplyLineTests
{
    [Test]
    public void Write_EveryMember_WritesWhatTheSerializerWrites()
    {
        // Written by hand so that a worker does not build the serializer's metadata for it; the line stays the same.
        foreach (var reply in Replies())
        {
            Assert.That(Line(reply), Is.EqualTo(JsonSerializer.Serialize(reply, WorkerProtocol.Json)));
        }
    }

    [Test]
    public void Read_WhatTheSerializerWrites_ReadsEveryMember()
    {
        foreach (var reply in Replies())
        {
            var read = ReplyLine.Read(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(reply, WorkerProtocol.Json)));

            // Compared through the serializer: the lists and the SDK's classes have no value equality.
            Assert.That(JsonSerializer.Serialize(read, WorkerProtocol.Json), Is.EqualTo(JsonSerializer.Serialize(reply, WorkerProtocol.Json)));
        }
    }

    [TestCase("[1]")]
    [TestCase("{\"ok\":\"yes\"}")]
    [TestCase("{\"ok\":true,\"returned\":[1]}")]
    [TestCase("{\"ok\":true,\"shape\":{\"rules\":[]}}")]
    [TestCase("{\"ok\":true,\"shape\":{\"rules\":[],\"handlers\":[],\"jobs\":[{\"name\":\"n\",\"everySeconds\":\"x\"}],\"guards\":[],\"reports\":[],\"panels\":[],\"pages\":[],\"pipelines\":[],\"contributes\":\"\"}}")]
    public void Read_NotAReply_ThrowsJsonException(string line)
    {
        // The host kills a worker whose output is no reply (WorkerProcess): any other exception would escape that.
        Assert.Throws(Is.InstanceOf<JsonException>(), () => ReplyLine.Read(Encoding.UTF8.GetBytes(line)));
    }

    private static string Line(WorkerReply reply)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WorkerProtocol.Json.Encoder }))
        {
            ReplyLine.Write(writer, reply);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static IEnumerable<WorkerReply> Replies()
    {
        yield return new WorkerReply();
        yield return new WorkerReply { Problem = "plugin 'Acme': правило упало \"в кавычках\" 😀", Fatal = true, TimedOut = false };
        yield return new WorkerReply { Ok = true, Returned = ["просрочка:1", "a<b>&'"], Rejected = [] };
        yield return new WorkerReply { Ok = true, Refusals = [new GuardRefusal("Acme", "AmountGuard", "сумма меньше 1 000 ₽", false)] };
        yield return new WorkerReply
        {
            Ok = true,
            Table = new ReportTable
            {
                Columns = ["Клиент", "Долг"], Rows = [["ООО «Нева»", "1234.50"]], Kinds = [ReportColumnKind.Text, ReportColumnKind.Money],
                Totals = ["Итого", "1234.50"], Notes = ["на 30.06"], Chart = new ReportChart { Kind = ReportChartKind.Bar, LabelColumn = "Клиент", ValueColumns = ["Долг"] },
            },
        };
        yield return new WorkerReply { Ok = true, Listing = [new PluginListing("dunning", "Должники")] };
        yield return new WorkerReply { Ok = true, Views = [new PluginView("Acme", "Панель", "<b>html</b>", null), new PluginView("Acme", "Другая", null, "упала")] };
        yield return new WorkerReply
        {
            Ok = true, Id = "Acme.Plugin",
            Shape = new PluginShape(
                [new RuleShape("Acme.DebtRule", "DebtRule", true), new RuleShape("Acme.Other", "Other", false)],
                [new HandlerShape("Acme.Handler", "Handler", ["deal.moved"]), new HandlerShape("Acme.All", "All", [])],
                [JobShape.Of("nightly", Sdk.Jobs.JobSchedule.DailyAt(new TimeOnly(2, 30))), JobShape.Of("often", Sdk.Jobs.JobSchedule.Every(TimeSpan.FromMinutes(5)))],
                ["AmountGuard"], ["DunningReport"], ["DebtPanel"], ["DebtPage"],
                [new PipelineDefinition { Name = "sales", Stages = ["lead", "won"], Moves = [new StageMove("lead", "won")], WonStages = ["won"] }],
                "1 rule, 1 job"),
        };
        yield return new WorkerReply { Ok = true, Id = "Acme.Bare", Shape = new PluginShape([], [], [], [], [], [], [], [], "nothing") };
        yield return new WorkerReply
        {
            Ok = true, Id = "Acme.Pipelines",
            Shape = new PluginShape([], [], [], [], [], [], [],
                [
                    new PipelineDefinition
                    {
                        Name = "Продажи «опт»", Stages = ["лид", "счёт \"выставлен\"", "won", "lost"], Moves = [new StageMove("лид", "won"), new StageMove("won", "lost")],
                        WonStages = ["won"], LostStages = ["lost"],
                    },
                    new PipelineDefinition { Name = "bare", Stages = [] },
                ],
                "2 pipelines"),
        };
    }
}

using System.Text;
using System.Text.Json;
using CrmExtensions.Runtime.Workers;
using CrmExtensions.Sdk.Shared;

// Not CrmExtensions.Runtime.Tests.Workers: the tests' worker options are the class of that name.
namespace CrmExtensions.Runtime.Tests;

public sealed class ReplyReaderTests
{
    [Test]
    public async Task ReadAsync_ReplyLargerThanItsBufferAndSplitAcrossReads_ReadsEachReplyWhole()
    {
        // A first evaluation's reply runs to megabytes; a pipe hands it over a few kilobytes at a time.
        var keys = Enumerable.Range(0, 20_000).Select(i => $"просрочка:{i}").ToList();
        var lines = Lines(new WorkerReply { Ok = true, Returned = keys }, new WorkerReply { Problem = "plugin 'Acme': правило упало" });
        var reader = new ReplyReader(new TrickleStream(lines, 1000));

        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);
        var end = await reader.ReadAsync(CancellationToken.None);

        Assert.That(lines.Length, Is.GreaterThan(4 * 64 * 1024));
        Assert.That(first!.Returned, Is.EqualTo(keys));
        Assert.That(second!.Ok, Is.False);
        Assert.That(second.Problem, Is.EqualTo("plugin 'Acme': правило упало"));
        Assert.That(end, Is.Null);
    }

    [Test]
    public async Task ReadAsync_SmallRepliesInOneRead_ReturnsThemInOrder()
    {
        var reader = new ReplyReader(new MemoryStream(Lines(new WorkerReply { Ok = true, Id = "Acme.One" }, new WorkerReply { Ok = true, Id = "Acme.Two" })));

        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);

        Assert.That(new[] { first!.Id, second!.Id }, Is.EqualTo(new[] { "Acme.One", "Acme.Two" }));
    }

    [Test]
    public async Task ReadAsync_OutputEndsMidLine_ReturnsNull()
    {
        // A worker killed while it wrote its reply: the host reports the worker's end, not a parse error.
        var whole = Lines(new WorkerReply { Ok = true, Returned = ["a", "b", "c"] });
        var reader = new ReplyReader(new MemoryStream(whole[..^5]));

        Assert.That(await reader.ReadAsync(CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task ReadAsync_ReplyWithMoreWritesThanALine_ReadsThemFromItsPartsInOrder()
    {
        // A first evaluation's writes go ahead in parts; the host reads one reply with all of them, then the next reply.
        var reply = WithData((2 * WorkerReply.OpsPerLine) + 5) with { Returned = ["a", "b"] };
        var reader = new ReplyReader(new TrickleStream(Lines([.. reply.Lines(), new WorkerReply { Ok = true, Id = "Acme.Next" }]), 4096));

        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);

        Assert.That(reply.Lines().Select(l => l.Part), Is.EqualTo(new bool?[] { true, true, null }));
        Assert.That(JsonSerializer.Serialize(first, WorkerProtocol.Json), Is.EqualTo(JsonSerializer.Serialize(reply, WorkerProtocol.Json)));
        Assert.That(second!.Id, Is.EqualTo("Acme.Next"));
    }

    [Test]
    public async Task ReadAsync_OutputEndsAfterPartsBeforeTheLastLine_ReturnsNull()
    {
        // A worker killed after sending some writes ahead has given no reply: none of them is applied.
        var parts = WithData(WorkerReply.OpsPerLine + 1).Lines().ToList();
        var reader = new ReplyReader(new MemoryStream(Lines([.. parts.SkipLast(1)])));

        Assert.That(parts, Has.Count.EqualTo(2));
        Assert.That(await reader.ReadAsync(CancellationToken.None), Is.Null);
    }

    /// <summary>A successful reply with <paramref name="count"/> writes of the plugin's data, keys and values in Russian.</summary>
    private static WorkerReply WithData(int count) =>
        new() { Ok = true, Ops = Enumerable.Range(0, count).Select(i => (WriteOp)new SetDataOp($"ключ:{i}", $"значение {i}")).ToList() };

    private static byte[] Lines(params WorkerReply[] replies) =>
        Encoding.UTF8.GetBytes(string.Concat(replies.Select(r => JsonSerializer.Serialize(r, WorkerProtocol.Json) + "\n")));

    /// <summary>A read-only stream that hands out at most <paramref name="chunk"/> bytes per read, as a pipe does.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}

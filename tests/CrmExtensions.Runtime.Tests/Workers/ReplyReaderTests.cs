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
    public async Task ReadAsync_ReplyWithWritesInSeveralFrames_ReadsThemInOrderThenTheNextReply()
    {
        // A first evaluation's writes go ahead in frames; the host reads one reply with all of them, then the next reply.
        var reply = WithData(60_000) with { Returned = ["a", "b"] };
        var bytes = await Written(reply, new WorkerReply { Ok = true, Id = "Acme.Next" });
        var reader = new ReplyReader(new TrickleStream(bytes, 4096));

        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);

        Assert.That(bytes.Length, Is.GreaterThan(2 * WriteOpCodec.FrameBytes), "the writes span more than one frame");
        Assert.That(first!.Ops, Is.EqualTo(reply.Ops));
        Assert.That(first.Returned, Is.EqualTo(reply.Returned));
        Assert.That(second!.Id, Is.EqualTo("Acme.Next"));
        Assert.That(second.Ops, Is.Null);
    }

    [Test]
    public async Task ReadAsync_OutputEndsAfterFramesBeforeTheLine_ReturnsNull()
    {
        // A worker killed after sending its writes ahead has given no reply: none of them is applied.
        var whole = await Written(WithData(10));
        var line = Lines(new WorkerReply { Ok = true });
        var reader = new ReplyReader(new MemoryStream(whole[..^line.Length]));

        Assert.That(whole[0], Is.EqualTo(WriteOpCodec.FrameMarker));
        Assert.That(await reader.ReadAsync(CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task ReadAsync_OutputEndsInsideAFrame_ReturnsNull()
    {
        var whole = await Written(WithData(10));
        var reader = new ReplyReader(new MemoryStream(whole[..20]));

        Assert.That(await reader.ReadAsync(CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task ReadAsync_OutputCutAtAnyByte_ReturnsNull()
    {
        // A worker killed at any point of its reply, in a frame's header, inside a write, between frames or in the line,
        // has given no reply: the host reads the worker's end, never a reply made of part of it or a parse error.
        var reply = new WorkerReply
        {
            Ok = true, Returned = ["просрочка:1"],
            Ops = [new SetDataOp("ключ", "значение 😀"), new SetClientTagOp("клиент-1", "стадия", null, DateTimeOffset.UnixEpoch), new SetDataOp("курсор", null)],
        };
        var whole = await Written(reply);

        for (var cut = 0; cut < whole.Length; cut++)
        {
            var reader = new ReplyReader(new MemoryStream(whole[..cut]));
            Assert.That(await reader.ReadAsync(CancellationToken.None), Is.Null, $"cut after {cut} of {whole.Length} bytes");
        }

        Assert.That((await new ReplyReader(new MemoryStream(whole)).ReadAsync(CancellationToken.None))!.Ops, Is.EqualTo(reply.Ops));
    }

    [TestCase(-2)]
    [TestCase(int.MaxValue)]
    [TestCase(int.MaxValue - 4)]
    public async Task ReadAsync_FrameLengthNoWorkerWrites_ThrowsInvalidDataException(int length)
    {
        var bytes = new byte[64];
        bytes[0] = WriteOpCodec.FrameMarker;
        BitConverter.TryWriteBytes(bytes.AsSpan(1), length);
        var reader = new ReplyReader(new MemoryStream(bytes));

        await Assert.ThrowsAsync<InvalidDataException>(() => reader.ReadAsync(CancellationToken.None));
    }

    /// <summary>A successful reply with <paramref name="count"/> writes of the plugin's data, keys and values in Russian.</summary>
    private static WorkerReply WithData(int count) =>
        new() { Ok = true, Ops = Enumerable.Range(0, count).Select(i => (WriteOp)new SetDataOp($"ключ:{i}", $"значение {i}")).ToList() };

    /// <summary>The replies as a worker writes them.</summary>
    private static async Task<byte[]> Written(params WorkerReply[] replies)
    {
        using var output = new MemoryStream();
        var writer = new ReplyWriter(output);
        foreach (var reply in replies)
        {
            await writer.WriteAsync(reply);
        }

        return output.ToArray();
    }

    private static byte[] Lines(params WorkerReply[] replies) =>
        Encoding.UTF8.GetBytes(string.Concat(replies.Select(r => JsonSerializer.Serialize(r, WorkerProtocol.Json) + "\n")));

    /// <summary>A read-only stream that hands out at most <paramref name="chunk"/> bytes per read, as a pipe does.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}

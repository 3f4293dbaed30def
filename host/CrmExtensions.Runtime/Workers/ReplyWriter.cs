using System.Buffers;
using System.Text.Json;

namespace CrmExtensions.Runtime.Workers;

/// <summary>Writes a worker's replies, as <see cref="ReplyReader"/> reads them: the reply's writes in binary frames
/// (<see cref="WriteOpCodec"/>), then everything else as one JSON line (<see cref="ReplyLine"/>), each handed to the pipe whole.</summary>
/// <remarks>
/// A line is serialised into a buffer kept for the worker's life, then written at once and flushed: the host wakes once
/// for it instead of once for every few kilobytes an asynchronous serialiser flushes. Not thread-safe: the worker answers
/// one request at a time.
/// </remarks>
internal sealed class ReplyWriter(Stream output)
{
    private const int Initial = 64 * 1024;
    private readonly WriteOpCodec.FrameBuffer _frame = new();
    private ArrayBufferWriter<byte> _line = new(Initial);

    public async Task WriteAsync(WorkerReply reply)
    {
        if (reply.Ops is { Count: > 0 } ops)
        {
            await WriteOpCodec.WriteFramesAsync(output, ops, _frame).ConfigureAwait(false);
        }

        _line.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_line, new JsonWriterOptions { Encoder = WorkerProtocol.Json.Encoder, SkipValidation = true }))
        {
            ReplyLine.Write(writer, reply);
        }

        _line.GetSpan(1)[0] = (byte)'\n';
        _line.Advance(1);
        await output.WriteAsync(_line.WrittenMemory).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
        if (_line.Capacity > 16 * Initial)
        {
            // A large reply's line (a report's table, a first evaluation's keys) is not kept for the worker's life.
            _line = new ArrayBufferWriter<byte>(Initial);
        }
    }
}

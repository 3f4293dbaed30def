using System.Buffers.Binary;
using System.Text.Json;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Workers;

/// <summary>Reads a worker's replies as <see cref="ReplyWriter"/> writes them: a reply's writes from the binary frames
/// ahead of it, then its JSON line, each deserialised from the bytes as they came down the pipe.</summary>
/// <remarks>
/// A rule's first evaluation answers with tens of megabytes (its reminders and their rendered mails): read as text, a
/// line would be decoded into a string twice its size and encoded back to UTF-8 for the parser. Not thread-safe: the
/// supervisor makes one call to a worker at a time.
/// </remarks>
internal sealed class ReplyReader(Stream output)
{
    private const int Initial = 64 * 1024;

    /// <summary>The output read and not yet parsed: its first <see cref="_held"/> bytes.</summary>
    private byte[] _buffer = new byte[Initial];
    private int _held;
    private readonly WriteOpCodec.RecurringTexts _recurring = new();

    /// <summary>Reads the next reply: the writes of its frames, if any, and its line.</summary>
    /// <returns>The reply with every write of its frames, in order; null when the output ended before the reply's line.</returns>
    /// <exception cref="JsonException">A line is not a reply.</exception>
    /// <exception cref="InvalidDataException">A frame is not writes.</exception>
    public async Task<WorkerReply?> ReadAsync(CancellationToken cancellationToken)
    {
        List<WriteOp>? ops = null;
        while (true)
        {
            if (!await FillAsync(1, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            if (_buffer[0] != WriteOpCodec.FrameMarker)
            {
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                Shrink();
                return line is null || ops is null ? line : line with { Ops = ops };
            }

            if (!await FillAsync(WriteOpCodec.HeaderBytes, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(1));
            if (length < 0 || length > Array.MaxLength - WriteOpCodec.HeaderBytes)
            {
                // Not a frame cut short (that reads as the output's end below) but a length no worker writes.
                throw new InvalidDataException($"A frame of writes says it holds {length} bytes.");
            }

            if (!await FillAsync(WriteOpCodec.HeaderBytes + length, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            ops ??= [];
            WriteOpCodec.ReadFrame(_buffer.AsSpan(WriteOpCodec.HeaderBytes, length), ops, _recurring);
            Consume(WriteOpCodec.HeaderBytes + length);
        }
    }

    /// <summary>Reads the next line and deserialises it.</summary>
    /// <returns>The line, or null when the output ended before a whole line.</returns>
    private async Task<WorkerReply?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(scanned, _held - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var end = scanned + newline;
                var reply = ReplyLine.Read(_buffer.AsMemory(0, end));
                Consume(end + 1);
                return reply;
            }

            // Only the bytes read from now on can hold the end of the line.
            scanned = _held;
            if (!await FillAsync(_held + 1, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    /// <summary>Reads until at least <paramref name="count"/> bytes are held, growing the buffer for them.</summary>
    /// <returns>False when the output ended first.</returns>
    private async Task<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (count > _buffer.Length)
        {
            // Not zeroed: every byte up to _held is copied over, and the rest is read into before it is looked at.
            var larger = GC.AllocateUninitializedArray<byte>(Math.Max(count, _buffer.Length * 2));
            _buffer.AsSpan(0, _held).CopyTo(larger);
            _buffer = larger;
        }

        while (_held < count)
        {
            var read = await output.ReadAsync(_buffer.AsMemory(_held), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _held += read;
        }

        return true;
    }

    /// <summary>Drops a parsed line or frame; whatever followed it (read with it) is kept for the next read.</summary>
    private void Consume(int length)
    {
        _held -= length;
        _buffer.AsSpan(length, _held).CopyTo(_buffer);
    }

    /// <summary>Once a reply is read whole: a large reply's buffer is not kept for the worker's life.</summary>
    private void Shrink()
    {
        if (_buffer.Length > Initial && _held <= Initial)
        {
            var smaller = new byte[Initial];
            _buffer.AsSpan(0, _held).CopyTo(smaller);
            _buffer = smaller;
        }
    }
}

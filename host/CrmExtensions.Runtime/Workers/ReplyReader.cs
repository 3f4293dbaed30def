using System.Text.Json;
using CrmExtensions.Sdk.Shared;

namespace CrmExtensions.Runtime.Workers;

/// <summary>Reads a worker's replies, one JSON object per line, and deserialises each from its UTF-8 bytes as they came
/// down the pipe.</summary>
/// <remarks>
/// A rule's first evaluation answers with tens of megabytes (its reminders and their rendered mails): read as text, the
/// line would be decoded into a string twice its size and encoded back to UTF-8 for the parser. Not thread-safe: the
/// supervisor makes one call to a worker at a time.
/// </remarks>
internal sealed class ReplyReader(Stream output)
{
    private const int Initial = 64 * 1024;

    /// <summary>The output read and not yet parsed: its first <see cref="_held"/> bytes.</summary>
    private byte[] _buffer = new byte[Initial];
    private int _held;

    /// <summary>Reads the next reply: its parts sent ahead, if any, and its last line.</summary>
    /// <returns>The reply with every write of its parts and its last line, in order; null when the output ended before
    /// the reply's last line.</returns>
    /// <exception cref="JsonException">A line is not a reply.</exception>
    public async Task<WorkerReply?> ReadAsync(CancellationToken cancellationToken)
    {
        List<WriteOp>? ahead = null;
        while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Part == true)
            {
                ahead ??= [];
                ahead.AddRange(line.Ops ?? []);
                continue;
            }

            Shrink();
            return ahead is null ? line : line with { Ops = [.. ahead, .. line.Ops ?? []] };
        }

        return null;
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
                var reply = JsonSerializer.Deserialize<WorkerReply>(_buffer.AsSpan(0, end), WorkerProtocol.Json);
                Consume(end + 1);
                return reply;
            }

            // Only the bytes read from now on can hold the end of the line.
            scanned = _held;
            if (_held == _buffer.Length)
            {
                // Not zeroed: every byte up to _held is copied over, and the rest is read into before it is looked at.
                var larger = GC.AllocateUninitializedArray<byte>(_buffer.Length * 2);
                _buffer.AsSpan().CopyTo(larger);
                _buffer = larger;
            }

            var read = await output.ReadAsync(_buffer.AsMemory(_held), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            _held += read;
        }
    }

    /// <summary>Drops a parsed line; whatever followed it (the next part of a reply, read with this one) is kept for the
    /// next read.</summary>
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

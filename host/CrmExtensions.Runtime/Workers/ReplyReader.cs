using System.Text.Json;

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

    /// <summary>Reads the next line and deserialises it.</summary>
    /// <returns>The reply, or null when the output ended before a whole line.</returns>
    /// <exception cref="JsonException">The line is not a reply.</exception>
    public async Task<WorkerReply?> ReadAsync(CancellationToken cancellationToken)
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

    /// <summary>Drops a parsed line; whatever followed it is kept for the next read (a worker answers one request at a
    /// time, so normally nothing does).</summary>
    private void Consume(int length)
    {
        _held -= length;
        var rest = _buffer.AsSpan(length, _held);
        if (_buffer.Length > Initial && _held <= Initial)
        {
            // A large reply's buffer is not kept for the worker's life.
            var smaller = new byte[Initial];
            rest.CopyTo(smaller);
            _buffer = smaller;
        }
        else
        {
            rest.CopyTo(_buffer);
        }
    }
}

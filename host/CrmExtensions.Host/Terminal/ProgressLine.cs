using System.Diagnostics;

namespace CrmExtensions.Host.Terminal;

/// <summary>One line of progress redrawn in place on a terminal; silent when output is not a terminal.</summary>
/// <remarks>Thread-safe: work running side by side (plugins' rules evaluated at once) reports on the same line.</remarks>
internal sealed class ProgressLine : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TextWriter _writer;
    private readonly bool _enabled;
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private int _width;

    public ProgressLine(TextWriter writer, bool enabled)
    {
        _writer = writer;
        _enabled = enabled;
    }

    /// <summary>Shows <paramref name="text"/>, at most a few times a second.</summary>
    public void Show(string text, bool force = false)
    {
        if (!_enabled)
        {
            return;
        }

        lock (_gate)
        {
            if (!force && _since.ElapsedMilliseconds < 200)
            {
                return;
            }

            _since.Restart();
            var line = text.Length > 100 ? text[..100] : text;
            _writer.Write("\r" + line.PadRight(_width));
            _width = line.Length;
            _writer.Flush();
        }
    }

    /// <summary>Clears the line so that normal output continues on a clean line.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_enabled && _width > 0)
            {
                _writer.Write("\r" + new string(' ', _width) + "\r");
                _writer.Flush();
                _width = 0;
            }
        }
    }
}

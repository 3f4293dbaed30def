namespace CrmExtensions.Formats;

/// <summary>Writes CSV as RFC 4180 has it: fields separated by commas, a field quoted when it holds the separator, a quote
/// or a line break, quotes inside doubled, every record ended by CRLF.</summary>
/// <remarks>The one CSV writer of the product: report CSV, exports and the benchmarks' input files. A null field is written
/// empty. The writer does not own <see cref="TextWriter"/>: flush and dispose it yourself.</remarks>
/// <param name="writer">Where the records go.</param>
/// <param name="separator">The field separator: <c>,</c> (the default, RFC 4180) or, for spreadsheets set to a
/// Russian locale, <c>;</c>.</param>
/// <param name="newLine">What ends a record: CRLF (the default, RFC 4180), or <c>"\n"</c>.</param>
public sealed class CsvWriter(TextWriter writer, char separator = ',', string newLine = "\r\n")
{
    private readonly TextWriter _writer = writer ?? throw new ArgumentNullException(nameof(writer));

    /// <summary>Writes one record.</summary>
    /// <param name="fields">The fields, in order; null is written as an empty field.</param>
    public void WriteRecord(params ReadOnlySpan<string?> fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                _writer.Write(separator);
            }

            _writer.Write(Field(fields[i], separator));
        }

        _writer.Write(newLine);
    }

    /// <summary>Writes one record.</summary>
    /// <param name="fields">The fields, in order; null is written as an empty field.</param>
    public void WriteRecord(IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                _writer.Write(separator);
            }

            _writer.Write(Field(field, separator));
            first = false;
        }

        _writer.Write(newLine);
    }

    /// <summary>One field as it is written: in double quotes, with quotes doubled, when it holds
    /// <paramref name="separator"/>, a quote, CR or LF; otherwise as it is. Null is empty.</summary>
    public static string Field(string? value, char separator = ',')
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var span = value.AsSpan();
        return span.IndexOfAny('"', '\r', '\n') >= 0 || span.Contains(separator)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }
}

using System.Text;

namespace CrmExtensions.Formats;

/// <summary>One record of a CSV file: the line it starts on and its fields.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>Reads CSV as spreadsheets write it: UTF-8 with or without BOM, <c>;</c> or <c>,</c> (whichever the header uses
/// outside quotes), fields in double quotes with <c>""</c> for a quote and line breaks inside.</summary>
public static class CsvReader
{
    /// <summary>Reads every record; empty lines are skipped. The separator is detected from the first line.</summary>
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var line = 0;
        char? separator = null;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            separator ??= Detect(text);
            var start = line;
            fields.Clear();
            field.Clear();
            var quoted = false;
            var i = 0;
            while (true)
            {
                if (i >= text.Length)
                {
                    if (quoted && reader.ReadLine() is { } next)
                    {
                        // A line break inside quotes belongs to the field.
                        line++;
                        field.Append('\n');
                        text = next;
                        i = 0;
                        continue;
                    }

                    fields.Add(field.ToString());
                    break;
                }

                var c = text[i++];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (i < text.Length && text[i] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else
                        {
                            quoted = false;
                        }
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"' && field.ToString().Trim().Length == 0)
                {
                    field.Clear();
                    quoted = true;
                }
                else if (c == separator)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            yield return new CsvRecord(start, fields.ToArray());
        }
    }

    /// <summary>The separator a header line uses: the more frequent of <c>;</c> and <c>,</c> outside quotes (<c>,</c> on a tie).</summary>
    internal static char Detect(string header)
    {
        int semicolons = 0, commas = 0;
        var quoted = false;
        foreach (var c in header)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == ';')
            {
                semicolons++;
            }
            else if (!quoted && c == ',')
            {
                commas++;
            }
        }

        return semicolons > commas ? ';' : ',';
    }
}

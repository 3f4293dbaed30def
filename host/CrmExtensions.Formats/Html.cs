using System.Text;

namespace CrmExtensions.Formats;

/// <summary>HTML text: the one escaper of the product, for report pages, mail templates and anything else that writes HTML
/// by hand.</summary>
public static class Html
{
    /// <summary>Escapes the five characters that matter in HTML text and in quoted attribute values: <c>&amp;</c>,
    /// <c>&lt;</c>, <c>&gt;</c>, <c>"</c> and <c>'</c>. Everything else, Cyrillic and no-break spaces included, is left as
    /// it is (the pages are UTF-8). Null is empty.</summary>
    public static string Escape(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var i = text.AsSpan().IndexOfAny("&<>\"'");
        if (i < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}

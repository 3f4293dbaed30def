namespace CrmExtensions.Mail.Templates;

/// <summary>Text a template marked as HTML with <c>safe</c> (or that an include rendered): written without escaping.</summary>
internal sealed class SafeHtml(string html)
{
    public string Html { get; } = html;

    public override string ToString() => Html;

    /// <summary>Escapes the five characters that matter in HTML text and attribute values.</summary>
    public static string Escape(string text)
    {
        var i = text.AsSpan().IndexOfAny("&<>\"'");
        if (i < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 16);
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

using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CrmExtensions.ApiDocs;

/// <summary>Turns the text of an XML doc element (<c>summary</c>, <c>remarks</c>, <c>example</c>…) into Markdown.</summary>
/// <param name="link">Gives a cref (<c>T:Ns.Type</c>, <c>M:Ns.Type.Method(…)</c>) its Markdown link target, or null.</param>
internal sealed partial class XmlDocMarkdown(Func<string, string?> link)
{
    /// <summary>Renders an element's content as Markdown blocks separated by blank lines; "" for null.</summary>
    public string Blocks(XElement? element)
    {
        if (element is null)
        {
            return "";
        }

        var blocks = new List<string>();
        var paragraph = new StringBuilder();
        Render(element.Nodes(), blocks, paragraph);
        Flush(blocks, paragraph);
        return string.Join("\n\n", blocks);
    }

    /// <summary>Renders an element's content on one line, for lists and tables.</summary>
    public string Line(XElement? element) => Whitespace().Replace(Blocks(element), " ").Trim();

    /// <summary>A cref as code, linked to its type's section when that is on one of the pages.</summary>
    public string Cref(string cref) => link(cref) is { } target ? "[" + Code(CrefName(cref)) + "](" + target + ")" : Code(CrefName(cref));

    /// <summary>The short name a cref shows: <c>ICrmReader</c>, <c>ICrmReader.GetClientAsync</c>.</summary>
    public static string CrefName(string cref)
    {
        var body = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var parenthesis = body.IndexOf('(', StringComparison.Ordinal);
        if (parenthesis >= 0)
        {
            body = body[..parenthesis];
        }

        var parts = GenericArity().Replace(body, "").Split('.');
        var name = cref.StartsWith("T:", StringComparison.Ordinal) || parts.Length < 2 ? parts[^1] : parts[^2] + "." + parts[^1];
        return name.Replace("#ctor", "ctor", StringComparison.Ordinal);
    }

    private void Render(IEnumerable<XNode> nodes, List<string> blocks, StringBuilder paragraph)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case XText text:
                    // Outside code, Markdown would take <name> for an HTML tag.
                    paragraph.Append(Whitespace().Replace(text.Value, " ").Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal));
                    break;
                case XElement { Name.LocalName: "para" } para:
                    Flush(blocks, paragraph);
                    Render(para.Nodes(), blocks, paragraph);
                    Flush(blocks, paragraph);
                    break;
                case XElement { Name.LocalName: "code" } code:
                    Flush(blocks, paragraph);
                    blocks.Add("```csharp\n" + Dedent(code.Value) + "\n```");
                    break;
                case XElement { Name.LocalName: "list" } list:
                    Flush(blocks, paragraph);
                    blocks.Add(string.Join("\n", list.Elements("item").Select(Item)));
                    break;
                case XElement element:
                    paragraph.Append(Inline(element));
                    break;
            }
        }
    }

    private string Item(XElement item)
    {
        var term = item.Element("term");
        var description = item.Element("description");
        if (term is null && description is null)
        {
            return "- " + Line(item);
        }

        return "- " + (term is null ? "" : "**" + Line(term) + "**" + (description is null ? "" : ": ")) + Line(description);
    }

    private string Inline(XElement element)
    {
        switch (element.Name.LocalName)
        {
            case "see" or "seealso" when element.Attribute("langword") is { } langword:
                return Code(langword.Value);
            case "see" or "seealso" when element.Attribute("href") is { } href:
                return "[" + (element.Value.Length > 0 ? Line(element) : href.Value) + "](" + href.Value + ")";
            case "see" or "seealso" when element.Attribute("cref") is { } cref:
                return element.Value.Length > 0 && link(cref.Value) is { } target ? "[" + Line(element) + "](" + target + ")"
                    : element.Value.Length > 0 ? Line(element)
                    : Cref(cref.Value);
            case "paramref" or "typeparamref":
                return Code((string?)element.Attribute("name") ?? "");
            case "c":
                return Code(Whitespace().Replace(element.Value, " "));
            case "b":
                return "**" + Line(element) + "**";
            case "i":
                return "*" + Line(element) + "*";
            case "br":
                return " ";
            default:
                return Line(element);
        }
    }

    private static string Code(string text) => text.Contains('`', StringComparison.Ordinal) ? "`` " + text + " ``" : "`" + text + "`";

    private static void Flush(List<string> blocks, StringBuilder paragraph)
    {
        var text = Whitespace().Replace(paragraph.ToString(), " ").Trim();
        if (text.Length > 0)
        {
            blocks.Add(text);
        }

        paragraph.Clear();
    }

    private static string Dedent(string code)
    {
        var lines = code.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0)
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var indent = lines.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"`+\d+")]
    private static partial Regex GenericArity();
}

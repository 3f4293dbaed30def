namespace CrmExtensions.Mail.Templates;

/// <summary>Text a template marked as HTML with <c>safe</c> (or that an include rendered): written without escaping.</summary>
internal sealed class SafeHtml(string html)
{
    public string Html { get; } = html;

    public override string ToString() => Html;
}

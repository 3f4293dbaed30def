namespace CrmExtensions.Mail.Templates;

/// <summary>A template pack cannot be loaded, or a render failed: every error as <c>file(line,col): message</c>.</summary>
/// <remarks>Load reports every problem of every file at once; a render stops at its first error.</remarks>
internal sealed class TemplateErrorsException : Exception
{
    public TemplateErrorsException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public TemplateErrorsException(IReadOnlyList<string> errors, Exception innerException)
        : base(string.Join(Environment.NewLine, errors), innerException)
    {
        Errors = errors;
    }

    /// <summary>Every error, each as <c>file(line,col): message</c> (or <c>file: message</c> without a position).</summary>
    public IReadOnlyList<string> Errors { get; }
}

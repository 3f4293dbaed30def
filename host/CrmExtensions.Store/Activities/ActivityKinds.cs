namespace CrmExtensions.Store.Activities;

/// <summary>The kinds of contact the log knows, their Russian aliases, and the channel and direction each implies.</summary>
/// <remarks>Plugins may record other kinds (free text); people and imports are held to these.</remarks>
public static class ActivityKinds
{
    public const string Call = "call";
    public const string Meeting = "meeting";
    public const string LetterIn = "letter-in";
    public const string LetterOut = "letter-out";
    public const string EmailIn = "email-in";
    public const string EmailOut = "email-out";
    public const string WebForm = "web-form";
    public const string Note = "note";

    /// <summary>A client's complaint; open while it has no outcome, and while open no marketing mail goes to the client.</summary>
    public const string Complaint = "complaint";

    /// <summary>Every kind, in the order help lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Call, Meeting, LetterIn, LetterOut, EmailIn, EmailOut, WebForm, Note, Complaint];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["phone"] = Call, ["звонок"] = Call, ["телефон"] = Call,
        ["встреча"] = Meeting,
        ["входящее письмо"] = LetterIn, ["письмо входящее"] = LetterIn, ["письмо-вх"] = LetterIn,
        ["исходящее письмо"] = LetterOut, ["письмо исходящее"] = LetterOut, ["письмо-исх"] = LetterOut,
        ["e-mail-in"] = EmailIn, ["входящий e-mail"] = EmailIn, ["входящее e-mail"] = EmailIn, ["почта входящая"] = EmailIn,
        ["e-mail-out"] = EmailOut, ["исходящий e-mail"] = EmailOut, ["исходящее e-mail"] = EmailOut, ["почта исходящая"] = EmailOut,
        ["webform"] = WebForm, ["web"] = WebForm, ["веб-форма"] = WebForm, ["заявка с сайта"] = WebForm, ["заявка"] = WebForm,
        ["заметка"] = Note, ["примечание"] = Note, ["комментарий"] = Note,
        ["жалоба"] = Complaint, ["претензия"] = Complaint, ["рекламация"] = Complaint,
    };

    /// <summary>Reads a kind as people write it: <c>call</c>, <c>Email_In</c>, <c>звонок</c>, <c>Входящее письмо</c>.</summary>
    /// <returns><see langword="false"/> when the text names no known kind.</returns>
    public static bool TryParse(string? text, out string kind)
    {
        kind = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var folded = string.Join(' ', text.Trim().ToLowerInvariant().Replace('ё', 'е').Replace('_', '-')
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (All.Contains(folded))
        {
            kind = folded;
            return true;
        }

        if (Aliases.TryGetValue(folded, out var alias) || Aliases.TryGetValue(folded.Replace(' ', '-'), out alias))
        {
            kind = alias;
            return true;
        }

        return false;
    }

    /// <summary>The direction a kind implies (<c>in</c> or <c>out</c>), or null when it may be either.</summary>
    public static string? Direction(string kind) => kind switch
    {
        LetterIn or EmailIn or WebForm or Complaint => "in",
        LetterOut or EmailOut => "out",
        _ => null,
    };

    /// <summary>The channel a kind implies when none is given.</summary>
    public static string? Channel(string kind) => kind switch
    {
        Call => "phone",
        Meeting => "in person",
        LetterIn or LetterOut => "post",
        EmailIn or EmailOut => "email",
        WebForm => "web",
        _ => null,
    };
}

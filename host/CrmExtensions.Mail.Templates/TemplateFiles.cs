using Scriban;

namespace CrmExtensions.Mail.Templates;

/// <summary>
/// Every <c>*.scriban</c> file of a folder, read and parsed once; all problems of all files listed together.
/// </summary>
/// <remarks>
/// Files are named by their path inside the folder with <c>/</c> (<c>ru-RU/subject.scriban</c>); messages name
/// them with a prefix (the pack or plugin folder) so that a user can find them. A file or folder that is a link
/// pointing outside the folder is refused: a template pack reads nothing but its own files.
/// </remarks>
internal sealed class TemplateFiles
{
    private TemplateFiles(Dictionary<string, string> sources, Dictionary<string, Template> parsed, HashSet<string> failed)
    {
        Sources = sources;
        Parsed = parsed;
        Failed = failed;
    }

    /// <summary>Paths of the files that exist but could not be read or parsed (their errors are reported).</summary>
    public IReadOnlySet<string> Failed { get; }

    /// <summary>Whether a file exists at this path, parsed or not.</summary>
    public bool Exists(string path) => Parsed.ContainsKey(path) || Failed.Contains(path);

    /// <summary>Source text by path inside the folder.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>Parsed template by path inside the folder.</summary>
    public IReadOnlyDictionary<string, Template> Parsed { get; }

    /// <summary>Reads and parses the folder's templates; problems are added to <paramref name="errors"/>.</summary>
    public static TemplateFiles Load(string directory, string displayPrefix, bool recursive, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var root = Path.GetFullPath(directory);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var parsed = new Dictionary<string, Template>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Files(root, displayPrefix, recursive, errors).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var display = displayPrefix.Length == 0 ? relative : displayPrefix.TrimEnd('/') + "/" + relative;
            if (LeavesFolder(root, file))
            {
                errors.Add($"{display}: is a link to a file outside the template folder; a template pack may only read its own files.");
                failed.Add(relative);
                continue;
            }

            string text;
            try
            {
                text = Strict.GetString(File.ReadAllBytes(file)).TrimStart('\uFEFF');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{display}: cannot be read: {ex.Message}");
                failed.Add(relative);
                continue;
            }
            catch (System.Text.DecoderFallbackException)
            {
                errors.Add($"{display}: is not UTF-8 text; save the template as UTF-8.");
                failed.Add(relative);
                continue;
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add($"{display}: is a binary file (it holds NUL characters), not a template.");
                failed.Add(relative);
                continue;
            }

            var template = Template.Parse(text, display);
            if (template.HasErrors)
            {
                errors.AddRange(template.Messages.Select(m => TemplateSandbox.Describe(m.Span, m.Message, display)));
                failed.Add(relative);
                continue;
            }

            sources[relative] = text;
            parsed[relative] = template;
        }

        return new TemplateFiles(sources, parsed, failed);
    }

    // Invalid bytes are an error, not U+FFFD: a binary or mis-encoded body must fail at load, not render as garbage.
    private static readonly System.Text.UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The template files of the folder and, when recursive, of its sub-folders (links to folders included); a
    /// link to a folder the walk is already inside (itself or an ancestor) is a loop, reported and not followed.</summary>
    private static List<string> Files(string root, string displayPrefix, bool recursive, List<string> errors)
    {
        var files = new List<string>();
        var top = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, MatchCasing = MatchCasing.CaseSensitive };
        var pending = new Stack<(string Path, string Real)>();
        pending.Push((root, root));
        while (pending.Count > 0)
        {
            var (directory, real) = pending.Pop();
            files.AddRange(Directory.EnumerateFiles(directory, "*" + TemplatePack.Extension, top));
            if (!recursive)
            {
                continue;
            }

            foreach (var sub in Directory.EnumerateDirectories(directory, "*", top))
            {
                var info = new DirectoryInfo(sub);
                var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
                var subReal = target is null ? Path.Combine(real, info.Name) : Path.GetFullPath(target.FullName);
                if (real == subReal || real.StartsWith(subReal.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    var relative = Path.GetRelativePath(root, sub).Replace('\\', '/');
                    errors.Add($"{(displayPrefix.Length == 0 ? relative : displayPrefix.TrimEnd('/') + "/" + relative)}: is a link to a folder it is inside (a loop); it is not followed.");
                    continue;
                }

                pending.Push((sub, subReal));
            }
        }

        return files;
    }

    private static bool LeavesFolder(string root, string file)
    {
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        for (var path = file; path.Length > rootWithSeparator.Length; path = Path.GetDirectoryName(path)!)
        {
            FileSystemInfo info = path == file ? new FileInfo(path) : new DirectoryInfo(path);
            if (info.LinkTarget is null)
            {
                continue;
            }

            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !Path.GetFullPath(target.FullName).StartsWith(rootWithSeparator, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

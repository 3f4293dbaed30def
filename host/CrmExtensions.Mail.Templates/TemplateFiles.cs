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
        var options = new EnumerationOptions { RecurseSubdirectories = recursive, AttributesToSkip = 0, MatchCasing = MatchCasing.CaseSensitive };
        foreach (var file in Directory.EnumerateFiles(root, "*" + TemplatePack.Extension, options).Order(StringComparer.Ordinal))
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
                text = File.ReadAllText(file);
            }
            catch (IOException ex)
            {
                errors.Add($"{display}: cannot be read: {ex.Message}");
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

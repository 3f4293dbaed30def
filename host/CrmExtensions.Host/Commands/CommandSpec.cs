using System.Globalization;
using System.Text;

namespace CrmExtensions.Host.Commands;

/// <summary>An option a command accepts: a flag (no value) or an option with a value.</summary>
/// <param name="Name">The long name without dashes.</param>
/// <param name="Value">The value's placeholder in help (e.g. <c>FILE</c>), or null for a flag.</param>
/// <param name="Description">One line of help.</param>
internal sealed record OptionSpec(string Name, string? Value, string Description)
{
    /// <summary>Whether the option may be given several times (read with <see cref="ParsedArguments.GetAll"/>); otherwise the last one wins.</summary>
    public bool Repeatable { get; init; }
}

/// <summary>A user's mistake on the command line: exit code 2 and a pointer to <c>--help</c>.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The parsed words of one command invocation.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _options;

    public ParsedArguments(string commandPath, List<string> positional, Dictionary<string, string?> options)
    {
        CommandPath = commandPath;
        Positional = positional;
        _options = options;
    }

    public string CommandPath { get; }

    public IReadOnlyList<string> Positional { get; }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.GetValueOrDefault(name);

    /// <summary>Joins the values of a repeatable option given several times.</summary>
    internal const char RepeatSeparator = '\u001F';

    /// <summary>Every value of a repeatable option, in order; empty when it was not given.</summary>
    public IReadOnlyList<string> GetAll(string name) => Get(name)?.Split(RepeatSeparator) ?? [];

    public int GetInt(string name, int defaultValue, int min, int max)
    {
        var text = Get(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} takes a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}, not '{text}'");
        }

        return value;
    }

    public DateOnly? GetDate(string name)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new UsageException($"--{name} takes a date as yyyy-MM-dd, not '{text}'");
    }

    public string Single(string placeholder)
    {
        return Positional.Count switch
        {
            1 => Positional[0],
            0 => throw new UsageException($"{placeholder} is missing"),
            _ => throw new UsageException($"expected one {placeholder}, got {Positional.Count}: {string.Join(" ", Positional)}"),
        };
    }

    public void NoPositional()
    {
        if (Positional.Count > 0)
        {
            throw new UsageException($"unexpected argument '{Positional[0]}'");
        }
    }
}

/// <summary>A command or a group of subcommands, with its help.</summary>
internal abstract class CommandSpec
{
    /// <summary>Options every command accepts.</summary>
    public static readonly IReadOnlyList<OptionSpec> GlobalOptions =
    [
        new("config", "FILE", "the configuration file (default: crmx.json in the working folder)"),
        new("help", null, "show this help"),
    ];

    public abstract string Name { get; }

    /// <summary>One line for the parent's command list.</summary>
    public abstract string Summary { get; }

    /// <summary>Extra lines of help under the usage line.</summary>
    public virtual string? Details => null;

    /// <summary>The positional arguments' placeholder in the usage line, e.g. <c>CLIENT</c>.</summary>
    public virtual string? ArgumentsUsage => null;

    public virtual IReadOnlyList<OptionSpec> Options => [];

    public virtual IReadOnlyList<CommandSpec> Subcommands => [];

    /// <summary>Runs the command; returns the exit code.</summary>
    public virtual int Execute(CommandContext context, ParsedArguments arguments) =>
        throw new UsageException($"'{arguments.CommandPath}' needs a subcommand: {string.Join(", ", Subcommands.Select(s => s.Name))}");

    /// <summary>The help text of this command, as <c>--help</c> prints it.</summary>
    public string Help(string path)
    {
        var sb = new StringBuilder();
        sb.Append("Usage: ").Append(path);
        if (Subcommands.Count > 0)
        {
            sb.Append(" <command>");
        }

        if (Options.Count > 0)
        {
            sb.Append(" [options]");
        }

        if (ArgumentsUsage is not null)
        {
            sb.Append(' ').Append(ArgumentsUsage);
        }

        sb.AppendLine().AppendLine().AppendLine(Summary);
        if (Details is not null)
        {
            sb.AppendLine().AppendLine(Details.TrimEnd());
        }

        if (Subcommands.Count > 0)
        {
            sb.AppendLine().AppendLine("Commands:");
            var width = Subcommands.Max(s => s.Name.Length) + 2;
            foreach (var s in Subcommands)
            {
                sb.Append("  ").Append(s.Name.PadRight(width)).AppendLine(s.Summary);
            }
        }

        var options = Options.Concat(GlobalOptions).ToList();
        sb.AppendLine().AppendLine("Options:");
        var optionWidth = options.Max(o => OptionUsage(o).Length) + 2;
        foreach (var o in options)
        {
            sb.Append("  ").Append(OptionUsage(o).PadRight(optionWidth)).AppendLine(o.Description);
        }

        if (Subcommands.Count > 0)
        {
            sb.AppendLine().Append("Run '").Append(path).AppendLine(" <command> --help' for a command's options.");
        }

        return sb.ToString();
    }

    private static string OptionUsage(OptionSpec o) => "--" + o.Name + (o.Value is null ? "" : " " + o.Value);
}

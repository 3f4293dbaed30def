using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text;

namespace CrmExtensions.Host.Cli;

/// <summary><c>--help</c> for every command, made from what the command declares: usage, summary, details, subcommands, options.</summary>
internal sealed class HelpPrinter(TextWriter output) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        Write(output, parseResult.CommandResult.Command);
        return 0;
    }

    /// <summary>The command's path as typed: <c>crmx clients show</c>.</summary>
    public static string PathOf(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = s.Parents.FirstOrDefault())
        {
            names.Add(c is RootCommand ? "crmx" : c.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Writes the help of <paramref name="command"/>.</summary>
    public static void Write(TextWriter output, Command command)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(command);
        var path = PathOf(command);
        var options = Options(command);
        var commands = command.Subcommands.Where(c => !c.Hidden).ToList();
        var sb = new StringBuilder();
        sb.Append("Usage: ").Append(path);
        if (commands.Count > 0)
        {
            sb.Append(" <command>");
        }

        if (command.Options.Any(o => !o.Hidden && o is not HelpOption && !o.Recursive))
        {
            sb.Append(" [options]");
        }

        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            sb.Append(' ').Append(argument.HelpName ?? argument.Name).Append(argument.Arity.MaximumNumberOfValues > 1 ? "…" : "");
        }

        sb.AppendLine().AppendLine().AppendLine(command.Description);
        var details = (command as CrmxCommand)?.Details ?? (command is RootCommand ? Commands.CrmxApp.Details : null);
        if (details is not null)
        {
            sb.AppendLine().AppendLine(details.TrimEnd());
        }

        if (commands.Count > 0)
        {
            sb.AppendLine().AppendLine("Commands:");
            var width = commands.Max(c => c.Name.Length) + 2;
            foreach (var c in commands)
            {
                sb.Append("  ").Append(c.Name.PadRight(width)).AppendLine(c.Description);
            }
        }

        sb.AppendLine().AppendLine("Options:");
        var optionWidth = options.Max(o => Usage(o).Length) + 2;
        foreach (var o in options)
        {
            sb.Append("  ").Append(Usage(o).PadRight(optionWidth)).AppendLine(o.Description);
        }

        if (commands.Count > 0)
        {
            sb.AppendLine().Append("Run '").Append(path).AppendLine(" <command> --help' for a command's options.");
        }

        output.Write(sb.ToString());
    }

    /// <summary>The command's own options, then those every command accepts, then help.</summary>
    private static List<Option> Options(Command command)
    {
        var own = command.Options.Where(o => !o.Hidden && !o.Recursive && o is not HelpOption).ToList();
        var global = new List<Option>();
        for (Symbol? s = command; s is Command c; s = s.Parents.FirstOrDefault())
        {
            global.InsertRange(0, c.Options.Where(o => !o.Hidden && (o.Recursive || o is HelpOption) && (c == command || o.Recursive)));
        }

        return [.. own, .. global.Where(o => o is not HelpOption), .. global.Where(o => o is HelpOption).Take(1)];
    }

    private static string Usage(Option option) => option is HelpOption ? "--help"
        : option.Name + (option.Arity.MaximumNumberOfValues == 0 ? "" : " " + (option.HelpName ?? "VALUE"));
}

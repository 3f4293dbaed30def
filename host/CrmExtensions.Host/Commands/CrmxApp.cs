using CrmExtensions.Store;

namespace CrmExtensions.Host.Commands;

/// <summary>The <c>crmx</c> command tree: parses arguments, prints help and turns failures into exit codes.</summary>
/// <remarks>Exit codes: 0 success, 1 a failure (one clear line on the error stream), 2 a usage error.</remarks>
internal sealed class CrmxApp : CommandSpec
{
    public override string Name => "crmx";

    public override string Summary => "CRM added to your accounting system: attaches read-only to ledgers, unifies clients, runs plugins.";

    public override string Details => "Start with 'crmx demo': it builds a sample ledger, a crmx.json for it, and runs everything on it.\n'crmx --version' prints the version and the plugin SDK version it hosts.";

    public override IReadOnlyList<CommandSpec> Subcommands { get; } =
    [
        new DemoCommand(),
        new AttachCommand(),
        new SyncCommand(),
        new UnifyCommand(),
        new ClientsCommand(),
        new SampleCommand(),
        new PluginsCommand(),
        new ActivityCommand(),
        new DealsCommand(),
        new RemindersCommand(),
        new RunCommand(),
        new MailCommand(),
        new ReportCommand(),
        new CampaignCommand(),
    ];

    /// <summary>Runs one invocation.</summary>
    public static int Run(string[] args, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args is ["--version"])
        {
            var version = typeof(CrmxApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";
            context.Out.WriteLine($"crmx {version.Split('+')[0]} (plugin SDK {Runtime.PluginRuntime.SdkVersion.ToString(3)})");
            return 0;
        }

        var app = new CrmxApp();
        CommandSpec command = app;
        var path = "crmx";
        var i = 0;
        while (i < args.Length && command.Subcommands.Count > 0 && !args[i].StartsWith('-'))
        {
            var next = command.Subcommands.FirstOrDefault(s => s.Name == args[i]);
            if (next is null)
            {
                return UsageError(context, path, $"unknown command '{args[i]}'; commands: {string.Join(", ", command.Subcommands.Select(s => s.Name))}");
            }

            command = next;
            path += " " + next.Name;
            i++;
        }

        ParsedArguments parsed;
        try
        {
            parsed = Parse(command, path, args[i..]);
        }
        catch (UsageException ex)
        {
            return UsageError(context, path, ex.Message);
        }

        if (parsed.Has("help"))
        {
            context.Out.Write(command.Help(path));
            return 0;
        }

        if (command.Subcommands.Count > 0)
        {
            // A group without its subcommand: show what it offers.
            context.Out.Write(command.Help(path));
            return command == app && args.Length == 0 ? 0 : 2;
        }

        try
        {
            return command.Execute(context, parsed);
        }
        catch (UsageException ex)
        {
            return UsageError(context, path, ex.Message);
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine($"{path}: cancelled.");
            return 130;
        }
        catch (CrmException ex)
        {
            foreach (var line in ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                context.Error.WriteLine("error: " + line);
            }

            return 1;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            // The database or the file system refused: say so on one line; nothing half-done is committed.
            context.Error.WriteLine($"error: {ex.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    private static int UsageError(CommandContext context, string path, string message)
    {
        context.Error.WriteLine($"{path}: {message}");
        context.Error.WriteLine($"Run '{path} --help' for usage.");
        return 2;
    }

    private static ParsedArguments Parse(CommandSpec command, string path, string[] args)
    {
        var known = command.Options.Concat(GlobalOptions).ToDictionary(o => o.Name, StringComparer.Ordinal);
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positional.AddRange(args[(i + 1)..]);
                break;
            }

            if (arg is "-h" or "-?")
            {
                options["help"] = null;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                if (arg.StartsWith('-') && arg.Length > 1 && !char.IsDigit(arg[1]))
                {
                    throw new UsageException($"unknown option '{arg}'");
                }

                positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (!known.TryGetValue(name, out var spec))
            {
                throw new UsageException($"unknown option '--{name}'");
            }

            if (spec.Value is not null && value is null)
            {
                if (i + 1 >= args.Length)
                {
                    throw new UsageException($"--{name} needs a value ({spec.Value})");
                }

                value = args[++i];
            }
            else if (spec.Value is null && value is not null)
            {
                throw new UsageException($"--{name} takes no value");
            }

            options[name] = spec.Repeatable && value is not null && options.GetValueOrDefault(name) is { } earlier
                ? earlier + ParsedArguments.RepeatSeparator + value
                : value;
        }

        return new ParsedArguments(path, positional, options);
    }
}

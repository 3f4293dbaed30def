using System.CommandLine;
using CrmExtensions.Host.Commands;

namespace CrmExtensions.Host.Cli;

/// <summary>A <c>crmx</c> command: a System.CommandLine command with the extra lines of help under its summary.</summary>
internal sealed class CrmxCommand(string name, string summary) : Command(name, summary)
{
    /// <summary>Extra lines of help under the summary.</summary>
    public string? Details { get; init; }

    /// <summary>Sets what the command does: <paramref name="action"/> gets the run (its parsed words, its output, the
    /// application core built on first use and disposed after) and returns the exit code.</summary>
    public CrmxCommand Runs(CommandContext context, Func<Invocation, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        SetAction(async (parse, cancellationToken) =>
        {
            var run = new Invocation(context, parse);
            await using (run.ConfigureAwait(false))
            {
                return await action(run, cancellationToken).ConfigureAwait(false);
            }
        });
        return this;
    }

    /// <summary>Adds options, arguments and subcommands in order; returns this command.</summary>
    public CrmxCommand With(params Symbol[] symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    Options.Add(option);
                    break;
                case Argument argument:
                    Arguments.Add(argument);
                    if (argument.Arity.MinimumNumberOfValues == 0 && argument.Arity.MaximumNumberOfValues == 1)
                    {
                        // One value, required: said in the user's terms rather than the parser's.
                        Validators.Add(result =>
                        {
                            if (result.GetResult(argument) is not { Tokens.Count: > 0 })
                            {
                                result.AddError($"{argument.Name} is missing");
                            }
                        });
                    }

                    break;
                case Command command:
                    Subcommands.Add(command);
                    break;
                default:
                    throw new ArgumentException($"Cannot add a {symbol.GetType().Name} to a command.", nameof(symbols));
            }
        }

        return this;
    }
}

/// <summary>A user's mistake on the command line: exit code 2 and a pointer to <c>--help</c>.</summary>
internal sealed class UsageException(string message) : Exception(message);

using CrmExtensions.Host.Cli;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx completion bash|zsh</c>: a shell script that completes crmx's commands and options with Tab.</summary>
/// <remarks>The script asks crmx itself, through System.CommandLine's <c>[suggest]</c> directive, so it never goes stale.</remarks>
internal static class CompletionCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var shell = Opt.One("SHELL");
        var command = new CrmxCommand("completion", "Print a shell completion script for bash or zsh.")
        {
            Details = """
                bash: add  source <(crmx completion bash)  to ~/.bashrc.
                zsh:  add  source <(crmx completion zsh)   to ~/.zshrc (it uses bashcompinit).
                """,
        }.With(shell);
        command.SetAction((parse, _) =>
        {
            var name = parse.GetValue(shell);
            var script = name switch
            {
                "bash" => Bash,
                "zsh" => "autoload -U +X bashcompinit && bashcompinit\n" + Bash,
                _ => throw new UsageException($"SHELL is bash or zsh, not '{name}'"),
            };
            context.Out.Write(script);
            return Task.FromResult(0);
        });
        return command;
    }

    private const string Bash = """
        _crmx_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(crmx "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
        }
        complete -o default -F _crmx_complete crmx

        """;
}

using CrmExtensions.Host.Cli;
using CrmExtensions.Web;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx serve</c>: the web workspace for managers and directors.</summary>
internal static class ServeCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var urls = Opt.Text("--urls", "URL[;URL]", "where to listen (default: web:urls in crmx.json, else http://127.0.0.1:5080)");
        return new CrmxCommand("serve", "Serve the web workspace: sign-in, clients, the client card with its timeline, the contact log, \"my day\".")
        {
            Details = """
                Users sign in with the names and passwords 'crmx users add' gives them. The pages read the same store as
                every other command; run 'crmx run' beside it to keep the store in step with the ledgers. Several
                'crmx serve' on one PostgreSQL store may stand behind one proxy: users, their sessions' keys and every
                page's data live in the store. Stops on Ctrl+C or SIGTERM after the requests in hand.
                """,
        }.With(urls).Runs(context, async (run, cancellationToken) =>
        {
            await using var app = WebApp.Build(run.WorkspaceOptions, run.Get(urls));
            await WebServer.RunAsync(app, run.Out, cancellationToken).ConfigureAwait(false);
            return 0;
        });
    }
}

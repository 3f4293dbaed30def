using CrmExtensions.Host.Cli;
using CrmExtensions.Application.Users;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx users …</c>: the people who sign in to the web workspace.</summary>
internal static class UsersCommand
{
    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("users", "The people who sign in to the web workspace: add, list, disable, enable, reset a password.")
        {
            Details = """
                Users live in the store, so every 'crmx serve' on it knows them. A manager's "my clients" are the clients
                whose manager (as 'clients show' names it) is the name given by --manager (default: the user name). Directors
                and admins see everything; with web:managersSeeOnlyOwnClients in crmx.json, managers see only their own.
                """,
        }.With(Add(context), List(context), Disable(context), Enable(context), ResetPassword(context));

    private static CrmxCommand Add(CommandContext context)
    {
        var name = Opt.One("NAME", "the user name to sign in with");
        var role = Opt.Text("--role", "ROLE", "manager, director or admin", required: true);
        var manager = Opt.Text("--manager", "NAME", "the manager's name as the ledgers write it (default: the user name)");
        var stdin = Opt.Flag("--password-stdin", "read the password from the first line of standard input (default: generate one and print it once)");
        return new CrmxCommand("add", "Add a user with a role; prints a generated password once unless --password-stdin gives one.")
            .With(name, role, manager, stdin).Runs(context, async (run, cancellationToken) =>
            {
                var password = run.Get(stdin) ? await ReadPasswordAsync(context, cancellationToken).ConfigureAwait(false) : null;
                var (user, generated) = await run.Service<UserService>().AddAsync(run.Get(name), run.Get(role)!, run.Get(manager), password, cancellationToken).ConfigureAwait(false);
                run.Out.WriteLine($"Added {user.Role} '{user.UserName}'" + (user.Manager != user.UserName ? $" (manager '{user.Manager}' in the ledgers)" : "") + ".");
                if (generated is not null)
                {
                    run.Out.WriteLine($"Password (shown once): {generated}");
                }

                return 0;
            });
    }

    private static CrmxCommand List(CommandContext context) =>
        new CrmxCommand("list", "List the users: name, role, ledger manager name, state, last sign-in.").Runs(context, async (run, cancellationToken) =>
        {
            var users = await run.Service<UserService>().ListAsync(cancellationToken).ConfigureAwait(false);
            if (users.Count == 0)
            {
                run.Out.WriteLine("No users yet: 'crmx users add NAME --role manager|director|admin' adds one.");
                return 0;
            }

            run.Out.WriteLine($"{"user",-20} {"role",-9} {"state",-9} {"last sign-in",-20} manager in the ledgers");
            foreach (var u in users)
            {
                var state = !u.Enabled ? "disabled" : u.IsLockedAt(context.Time.GetUtcNow()) ? "locked" : "active";
                run.Out.WriteLine($"{u.UserName,-20} {u.Role,-9} {state,-9} {u.LastSignInAt ?? "never",-20} {u.Manager}");
            }

            return 0;
        });

    private static CrmxCommand Disable(CommandContext context)
    {
        var name = Opt.One("NAME", "the user");
        return new CrmxCommand("disable", "Disable a user: their sessions end at once, on every web node.").With(name).Runs(context, async (run, cancellationToken) =>
        {
            await run.Service<UserService>().DisableAsync(run.Get(name), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Disabled '{run.Get(name)}'.");
            return 0;
        });
    }

    private static CrmxCommand Enable(CommandContext context)
    {
        var name = Opt.One("NAME", "the user");
        return new CrmxCommand("enable", "Enable a disabled user again.").With(name).Runs(context, async (run, cancellationToken) =>
        {
            await run.Service<UserService>().EnableAsync(run.Get(name), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Enabled '{run.Get(name)}'.");
            return 0;
        });
    }

    private static CrmxCommand ResetPassword(CommandContext context)
    {
        var name = Opt.One("NAME", "the user");
        var stdin = Opt.Flag("--password-stdin", "read the new password from the first line of standard input (default: generate one and print it once)");
        return new CrmxCommand("reset-password", "Set a new password (ends the user's sessions and clears a lockout).")
            .With(name, stdin).Runs(context, async (run, cancellationToken) =>
            {
                var password = run.Get(stdin) ? await ReadPasswordAsync(context, cancellationToken).ConfigureAwait(false) : null;
                var generated = await run.Service<UserService>().ResetPasswordAsync(run.Get(name), password, cancellationToken).ConfigureAwait(false);
                run.Out.WriteLine($"New password set for '{run.Get(name)}'; their sessions have ended.");
                if (generated is not null)
                {
                    run.Out.WriteLine($"Password (shown once): {generated}");
                }

                return 0;
            });
    }

    private static async Task<string> ReadPasswordAsync(CommandContext context, CancellationToken cancellationToken) =>
        (await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.TrimEnd('\r', '\n')
        ?? throw new Application.InvalidRequestException("--password-stdin: standard input was empty");
}

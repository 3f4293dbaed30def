using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CrmExtensions.Web;

/// <summary>Runs a built web workspace until cancelled, saying where it listens.</summary>
internal static class WebServer
{
    /// <summary>Starts <paramref name="app"/>, prints its addresses, and stops it cleanly when <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="started">Told the addresses once listening (the demo prints its user's password after them).</param>
    public static async Task RunAsync(WebApplication app, TextWriter output, CancellationToken cancellationToken, Action<IReadOnlyList<string>>? started = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // Kestrel says "Failed to bind to address …: address already in use."; one line is enough.
            throw new Store.CrmException($"Cannot serve: {ex.Message} Pass another address with --urls.", ex);
        }

        var addresses = Addresses(app);
        output.WriteLine($"Serving the web workspace on {string.Join(", ", addresses)} (Ctrl+C stops it).");
        started?.Invoke(addresses);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: finish the requests in hand, then return.
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(grace.Token).ConfigureAwait(false);
        output.WriteLine("Stopped.");
    }

    /// <summary>The addresses the server listens on (with the real port when 0 was asked for).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}

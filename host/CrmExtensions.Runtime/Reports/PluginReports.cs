using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Sdk.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Runtime.Reports;

/// <summary>Runs a plugin's report in this process: the host's in process isolation, the plugin's worker for the host.</summary>
internal static class PluginReports
{
    /// <summary>Runs the plugin's report named <paramref name="report"/> under guard; an SDK 1.0 report for <see cref="ReportRequest.AsOf"/>.
    /// Anything it writes is dropped.</summary>
    /// <returns>The table (null when the plugin has no such report), or what went wrong.</returns>
    public static Task<CallResult<ReportTable?>> RunAsync(PluginGuard guard, TimeSpan budget, LoadedPlugin plugin, string report, ReportRequest request,
        CancellationToken cancellationToken) =>
        guard.RunAsync(plugin.Id, Call(report), budget, async token =>
        {
            var (scope, writes) = plugin.BeginUnit();
            await using (scope.ConfigureAwait(false))
            {
                var found = plugin.Registrations.Reports.Select(t => (IReport)scope.ServiceProvider.GetRequiredService(t)).FirstOrDefault(r => r.Name == report);
                var table = found switch
                {
                    null => null,
                    IRangeReport range => await range.RunAsync(request, token).ConfigureAwait(false),
                    _ => await found.RunAsync(request.AsOf, token).ConfigureAwait(false),
                };
                writes.Seal();
                return table;
            }
        }, cancellationToken);

    /// <summary>The call in words, for failure reports: <c>report NAME</c>.</summary>
    public static string Call(string report) => $"report {report}";
}

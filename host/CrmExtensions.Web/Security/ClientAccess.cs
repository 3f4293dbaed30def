using System.Security.Claims;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Configuration;

namespace CrmExtensions.Web.Security;

/// <summary>Which clients a signed-in user may open: every one, unless <c>web.managersSeeOnlyOwnClients</c> limits a manager to
/// the clients whose counterparties the ledgers give them.</summary>
internal sealed class ClientAccess(ClientService clients, CrmConfiguration configuration)
{
    /// <summary>Whether managers are limited to their own clients.</summary>
    public bool ManagersLimited => configuration.Web.ManagersSeeOnlyOwnClients;

    /// <summary>Whether <paramref name="user"/> may open client <paramref name="clientId"/>; a client they may not open is "not found".</summary>
    public async Task<bool> MayOpenAsync(ClaimsPrincipal user, long clientId, CancellationToken cancellationToken) =>
        !ManagersLimited || user.IsDirector()
        || await clients.IsManagedByAsync(clientId, user.Manager() ?? user.Identity!.Name!, cancellationToken);
}

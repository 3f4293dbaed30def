using System.Security.Claims;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Configuration;

namespace CrmExtensions.Web.Security;

/// <summary>Which clients a signed-in user may open: every one, unless <c>web.managersSeeOnlyOwnClients</c> limits a manager to
/// the clients whose counterparties the ledgers give them.</summary>
internal sealed class ClientAccess(ClientService clients, CrmConfiguration configuration)
{
    /// <summary>Whether <paramref name="user"/> sees only their own clients (a manager, when crmx.json says so).</summary>
    public bool LimitedToOwn(ClaimsPrincipal user) => configuration.Web.ManagersSeeOnlyOwnClients && !user.IsDirector();

    /// <summary>The manager whose clients are all <paramref name="user"/> may see, or null when they see every client.</summary>
    public string? OwnClientsOf(ClaimsPrincipal user) => LimitedToOwn(user) ? user.ActsAs() : null;

    /// <summary>Whether <paramref name="user"/> may open client <paramref name="clientId"/>; a client they may not open is "not found".</summary>
    public async Task<bool> MayOpenAsync(ClaimsPrincipal user, long clientId, CancellationToken cancellationToken) =>
        !LimitedToOwn(user) || await clients.IsManagedByAsync(clientId, user.ActsAs(), cancellationToken);
}

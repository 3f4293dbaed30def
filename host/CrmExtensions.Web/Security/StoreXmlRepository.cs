using System.Xml.Linq;
using CrmExtensions.Store.Web;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CrmExtensions.Web.Security;

/// <summary>Keeps the Data Protection key ring in the store, so every web node on one store reads the cookies of the others.</summary>
/// <remarks>
/// Keys sign the sign-in and antiforgery cookies; they are stored as the XML Data Protection writes (not encrypted at
/// rest: whoever can read the store can read the CRM's data anyway). Elements are only ever added.
/// </remarks>
internal sealed class StoreXmlRepository(WebKeyRing ring) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => ring.All().Select(x => XElement.Parse(x)).ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        ring.Add(string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }
}

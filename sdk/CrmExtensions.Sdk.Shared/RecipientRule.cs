using CrmExtensions.Sdk.Model;

namespace CrmExtensions.Sdk.Shared;

/// <summary>The one rule for whom the CRM writes to about a client, used by campaigns, the plugins' reader and facts, and the test kit.</summary>
internal static class RecipientRule
{
    /// <summary>A contact person as the rule reads it.</summary>
    /// <param name="Name">The full name.</param>
    /// <param name="Position">The position, if known.</param>
    /// <param name="Email">The address, if any.</param>
    internal readonly record struct Person(string Name, string? Position, string? Email);

    /// <summary>A director (or head) first, then the first by name, among the contacts with an address; else the head
    /// entity's own address; else null.</summary>
    /// <param name="contactsInNameOrder">The client's contact persons, ordered by name (then by ledger key).</param>
    /// <param name="headEmail">The head legal entity's address in the ledger.</param>
    /// <param name="clientName">The client's name, for an address that is the entity's own.</param>
    /// <returns>The recipient, or null when there is no address at all.</returns>
    public static Recipient? Choose(IEnumerable<Person> contactsInNameOrder, string? headEmail, string clientName)
    {
        ArgumentNullException.ThrowIfNull(contactsInNameOrder);
        var addressed = contactsInNameOrder.Where(c => !string.IsNullOrWhiteSpace(c.Email)).OrderBy(c => IsDirector(c.Position) ? 0 : 1).FirstOrDefault();
        if (addressed.Email is { } email)
        {
            var director = IsDirector(addressed.Position);
            return new Recipient
            {
                Address = email.Trim(), Name = addressed.Name, Source = director ? RecipientSource.Director : RecipientSource.Contact,
                Why = string.IsNullOrWhiteSpace(addressed.Position) ? "contact person" : "contact person, " + addressed.Position.Trim(),
            };
        }

        return string.IsNullOrWhiteSpace(headEmail)
            ? null
            : new Recipient { Address = headEmail.Trim(), Name = clientName, Source = RecipientSource.HeadEntity, Why = "head entity's address in the ledger" };
    }

    /// <summary>The head legal entity's own address: the first head member (in legal-entity, then ledger-key order) that has
    /// one — a head registered twice may carry the address on either row — else, for a client without head members, the
    /// first member's.</summary>
    /// <param name="membersInOrder">The client's members in that order: whether each is a head, and its address.</param>
    /// <returns>The address, or null.</returns>
    public static string? HeadEmail(IEnumerable<(bool IsHead, string? Email)> membersInOrder)
    {
        ArgumentNullException.ThrowIfNull(membersInOrder);
        var members = membersInOrder.ToList();
        return members.Any(m => m.IsHead)
            ? members.Where(m => m.IsHead).Select(m => m.Email).FirstOrDefault(e => !string.IsNullOrWhiteSpace(e))
            : members.Select(m => m.Email).FirstOrDefault();
    }

    /// <summary>Whether a position names a director or head: директор, руководитель, director.</summary>
    public static bool IsDirector(string? position) => position is not null &&
        (position.Contains("директор", StringComparison.OrdinalIgnoreCase) || position.Contains("director", StringComparison.OrdinalIgnoreCase)
         || position.Contains("руководител", StringComparison.OrdinalIgnoreCase));
}

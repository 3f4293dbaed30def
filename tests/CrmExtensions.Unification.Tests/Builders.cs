namespace CrmExtensions.Unification.Tests;

internal static class Builders
{
    public static Counterparty Row(string id, string? name, string ledger = "main") => new(ledger, id, name);

    public static UnificationResult Run(params Counterparty[] rows) =>
        UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

    public static long ClientOf(this UnificationResult result, string id, string ledger = "main") =>
        result.Assignment[new MemberKey(ledger, id)];

    public static MemberKey Key(string id, string ledger = "main") => new(ledger, id);
}

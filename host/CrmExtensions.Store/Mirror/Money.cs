namespace CrmExtensions.Store.Mirror;

/// <summary>Money in the mirror: a whole number of ten-thousandths of the currency unit.</summary>
/// <remarks>
/// Ledgers keep money as REAL, INTEGER, DECIMAL or text; sums over REAL drift. Four decimal places (as SQL
/// Server's <c>money</c>) keep every ledger's amounts exact and let every database sum them exactly.
/// </remarks>
public static class Money
{
    /// <summary>How many stored units make one currency unit.</summary>
    public const long Scale = 10_000;

    /// <summary>Converts an amount to stored units, rounding half away from zero at the fourth decimal.</summary>
    /// <exception cref="OverflowException">The amount is beyond ±922 trillion.</exception>
    public static long ToStored(decimal amount) => decimal.ToInt64(decimal.Round(amount * Scale, 0, MidpointRounding.AwayFromZero));

    /// <summary>Converts stored units back to an amount.</summary>
    public static decimal FromStored(long stored) => (decimal)stored / Scale;
}

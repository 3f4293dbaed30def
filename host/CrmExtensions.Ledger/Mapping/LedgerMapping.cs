using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Ledger.Mapping;

/// <summary>How one kind is read from a ledger: a SELECT whose columns carry canonical names.</summary>
/// <param name="Kind">The canonical kind.</param>
/// <param name="Query">The SELECT, as written in the mapping file.</param>
/// <param name="Watermark">The canonical column that grows on every change, or null for full passes.</param>
public sealed record KindMapping(MirrorKind Kind, string Query, string? Watermark);

/// <summary>A parsed mapping file: which kinds a ledger provides and how to read them.</summary>
public sealed class LedgerMapping
{
    public LedgerMapping(string path, IReadOnlyList<KindMapping> kinds, string? currency = null)
    {
        Path = path;
        Kinds = kinds;
        Currency = currency;
    }

    /// <summary>The ledger's currency (an ISO 4217 code), for its invoices and payments whose <c>currency</c> column is
    /// absent or empty; null when the mapping names none: such rows are in the store's base currency.</summary>
    public string? Currency { get; }

    /// <summary>The mapping file.</summary>
    public string Path { get; }

    /// <summary>The kinds mapped, in sync order.</summary>
    public IReadOnlyList<KindMapping> Kinds { get; }

    /// <summary>The mapping of a kind, or null when the ledger does not provide it.</summary>
    public KindMapping? For(MirrorKind kind) => Kinds.FirstOrDefault(k => k.Kind == kind);
}

using CrmExtensions.Store;

namespace CrmExtensions.Ledger;

/// <summary>A ledger could not be attached or read; <see cref="Problems"/> lists everything found at once.</summary>
public sealed class LedgerException : CrmException
{
    public LedgerException(IReadOnlyList<LedgerProblem> problems, Exception? innerException = null)
        : base(string.Join(Environment.NewLine, problems), innerException)
    {
        Problems = problems;
    }

    public LedgerException(LedgerProblem problem, Exception? innerException = null) : this([problem], innerException) { }

    /// <summary>The problems, one line each.</summary>
    public IReadOnlyList<LedgerProblem> Problems { get; }
}

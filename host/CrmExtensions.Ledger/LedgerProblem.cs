using System.Text;

namespace CrmExtensions.Ledger;

/// <summary>One thing wrong with a ledger, its mapping or one of its rows, named precisely enough to fix.</summary>
/// <param name="Ledger">The ledger's name.</param>
/// <param name="Message">What is wrong and, where it helps, what to do.</param>
public sealed record LedgerProblem(string Ledger, string Message)
{
    /// <summary>The kind (<c>counterparties</c>, …), when the problem is in one.</summary>
    public string? Kind { get; init; }

    /// <summary>The canonical column, when the problem is in one.</summary>
    public string? Column { get; init; }

    /// <summary>Whether the ledger was locked or busy: a later attempt may succeed, and nothing else of it was tried.</summary>
    public bool Busy { get; init; }

    /// <summary>The mapping file, when the problem is in or about it.</summary>
    public string? MappingFile { get; init; }

    /// <summary>The one-line form: <c>ledger 'main', invoices.amount (main.map.json): message</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("ledger '").Append(Ledger).Append('\'');
        if (Kind is not null)
        {
            sb.Append(", ").Append(Kind);
            if (Column is not null)
            {
                sb.Append('.').Append(Column);
            }
        }

        if (MappingFile is not null)
        {
            sb.Append(" (").Append(Path.GetFileName(MappingFile)).Append(')');
        }

        return sb.Append(": ").Append(Message).ToString();
    }
}

using System.Data.Common;
using CrmExtensions.Ledger.Mapping;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Ledger.Reading;

/// <summary>Which column of a query's result carries which canonical column.</summary>
internal sealed class ColumnMap
{
    private ColumnMap(MirrorKind kind, int[] ordinals, string[] names)
    {
        Kind = kind;
        Ordinals = ordinals;
        Names = names;
    }

    public MirrorKind Kind { get; }

    /// <summary>For each canonical column (in <see cref="MirrorKind.Columns"/> order), the result ordinal or -1.</summary>
    public int[] Ordinals { get; }

    /// <summary>The result's column names, as the ledger returned them.</summary>
    public string[] Names { get; }

    public int LedgerIdOrdinal => Ordinals[0];

    /// <summary>For each result column, the canonical column it carries, or -1.</summary>
    public int[] ByResultOrdinal()
    {
        var byResult = new int[Names.Length];
        Array.Fill(byResult, -1);
        for (var c = 0; c < Ordinals.Length; c++)
        {
            if (Ordinals[c] >= 0)
            {
                byResult[Ordinals[c]] = c;
            }
        }

        return byResult;
    }

    /// <summary>Matches a result's columns to the canonical ones, reporting unknown, repeated and missing names.</summary>
    public static ColumnMap Resolve(LedgerDefinitionContext context, DbDataReader reader, ICollection<LedgerProblem> problems)
    {
        var kind = context.Mapping.Kind;
        var names = new string[reader.FieldCount];
        var ordinals = Enumerable.Repeat(-1, kind.Columns.Count).ToArray();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            names[i] = reader.GetName(i);
            var canonical = kind.Ordinal(names[i].Trim().ToLowerInvariant());
            if (canonical < 0)
            {
                var hint = Suggest.Closest(names[i], kind.Columns.Select(c => c.Name));
                problems.Add(context.Problem(names[i],
                    $"unknown column '{names[i]}'{(hint is null ? "" : $" (did you mean '{hint}'?)")}; {kind.Name} columns are: {string.Join(", ", kind.Columns.Select(c => c.Name))}"));
            }
            else if (ordinals[canonical] >= 0)
            {
                problems.Add(context.Problem(kind.Columns[canonical].Name, "the query returns this column twice"));
            }
            else
            {
                ordinals[canonical] = i;
            }
        }

        for (var c = 0; c < kind.Columns.Count; c++)
        {
            if (kind.Columns[c].Required && ordinals[c] < 0)
            {
                problems.Add(context.Problem(kind.Columns[c].Name, $"required column '{kind.Columns[c].Name}' is missing from the query"));
            }
        }

        if (context.Mapping.Watermark is { } watermark && ordinals[kind.Ordinal(watermark)] < 0)
        {
            problems.Add(context.Problem(watermark, $"the watermark column '{watermark}' is not returned by the query"));
        }

        return new ColumnMap(kind, ordinals, names);
    }
}

/// <summary>A ledger and one of its kinds, for naming problems.</summary>
internal sealed record LedgerDefinitionContext(Connections.LedgerDefinition Ledger, KindMapping Mapping)
{
    public LedgerProblem Problem(string? column, string message) =>
        new(Ledger.Name, message) { Kind = Mapping.Kind.Name, Column = column, MappingFile = Ledger.Mapping.Path };
}

using System.Text.RegularExpressions;
using Dapper;

namespace CrmExtensions.Store.Clients;

/// <summary>
/// A set of current clients given as a compiled SQL condition on <c>c.client_id</c> (a row of <c>clients c</c>) with its
/// parameters: a segment (<c>KIND=VALUE</c>, a stored behaviour segment) as the campaigns select it, for the lists and
/// reports that embed it as a sub-select instead of reading its ids first.
/// </summary>
/// <remarks>
/// The segment compiler (<c>Segments.SegmentSql</c>) is the only maker: its text is made of its own fragments, every value
/// of the segment a parameter. Embedded in another statement, the parameters are renamed with a prefix
/// (<c>@from</c> becomes <c>@set_from</c>), so a report's own <c>@from</c> or <c>@asOf</c> keep their values.
/// </remarks>
public sealed partial class ClientSet
{
    private const string Prefix = "set_";

    private readonly string _condition;
    private readonly IReadOnlyDictionary<string, object?> _parameters;

    internal ClientSet(string description, string condition, IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        ArgumentException.ThrowIfNullOrEmpty(condition);
        ArgumentNullException.ThrowIfNull(parameters);
        Description = description;
        _condition = condition;
        _parameters = parameters;
    }

    /// <summary>How people name the set: the segment conditions, such as <c>segment=vip</c> or <c>region=Москва, abc=A</c>.</summary>
    public string Description { get; }

    /// <summary>The condition as compiled, on <c>c.client_id</c>, with its parameters under their own names.</summary>
    internal string Condition => _condition;

    /// <summary>The parameters of <see cref="Condition"/>, under their own names.</summary>
    internal IReadOnlyDictionary<string, object?> Parameters => _parameters;

    /// <summary>The statement of the set's client ids (current clients only), its parameters renamed and added to <paramref name="parameters"/>.</summary>
    public string Members(DynamicParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (name, value) in _parameters)
        {
            parameters.Add(Prefix + name, value);
        }

        return MembersSql(ParameterName().Replace(_condition, "@" + Prefix + "$1"));
    }

    /// <summary>"<paramref name="clientColumn"/> is a client of the set", its parameters added to <paramref name="parameters"/>.</summary>
    public string Contains(string clientColumn, DynamicParameters parameters) => clientColumn + " IN (" + Members(parameters) + ")";

    /// <summary>The current clients meeting <paramref name="condition"/>, as the ids of <c>clients c</c>.</summary>
    internal static string MembersSql(string condition) => "SELECT c.client_id FROM clients c WHERE c.retired_at IS NULL AND " + condition;

    /// <summary>A set of one condition on a parameter, for the statement lists the T-SQL tests parse.</summary>
    internal static ClientSet Sample { get; } = new("sample", "(c.client_id > @s0 AND c.retired_at IS NULL)", new Dictionary<string, object?> { ["s0"] = 0L });

    [GeneratedRegex("@([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();
}

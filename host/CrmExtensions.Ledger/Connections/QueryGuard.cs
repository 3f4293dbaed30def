using System.Text;
using CrmExtensions.Store.Providers;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CrmExtensions.Ledger.Connections;

/// <summary>Accepts only a single SELECT as a mapping query, so that nothing but reads ever reaches a ledger.</summary>
/// <remarks>
/// The read-only connection is the real guarantee; this check catches the mistake early, with a clear message,
/// and covers SQL Server, where read-only intent is advisory. T-SQL is parsed with ScriptDom; other dialects are
/// scanned with their comments, strings and quoted names taken out.
/// </remarks>
public static class QueryGuard
{
    private static readonly string[] Forbidden =
    [
        "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "DROP", "ALTER", "CREATE", "TRUNCATE", "GRANT",
        "REVOKE", "ATTACH", "DETACH", "PRAGMA", "VACUUM", "COPY", "CALL", "EXEC", "EXECUTE", "DO", "LOCK", "INTO", "SET",
    ];

    /// <summary>Checks a mapping query.</summary>
    /// <returns>Null when the query is a single SELECT; otherwise why it is not.</returns>
    public static string? Check(DatabaseProvider provider, string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return provider == DatabaseProvider.SqlServer ? CheckTransactSql(query) : CheckScanned(query);
    }

    private static string? CheckTransactSql(string query)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(query);
        var fragment = parser.Parse(reader, out var errors);
        if (errors.Count > 0)
        {
            var e = errors[0];
            return $"query does not parse as T-SQL at ({e.Line},{e.Column}): {e.Message}";
        }

        var statements = (fragment as TSqlScript)?.Batches.SelectMany(b => b.Statements).ToList() ?? [];
        if (statements.Count != 1)
        {
            return $"a mapping query must be exactly one SELECT statement; found {statements.Count} statements";
        }

        return statements[0] switch
        {
            SelectStatement { Into: not null } => "SELECT … INTO writes a table; a mapping query may only read",
            SelectStatement => null,
            var other => $"a mapping query must be a SELECT; found {other.GetType().Name.Replace("Statement", "", StringComparison.Ordinal).ToUpperInvariant()}",
        };
    }

    private static string? CheckScanned(string query)
    {
        var code = StripLiterals(query).TrimEnd().TrimEnd(';');
        if (code.Contains(';', StringComparison.Ordinal))
        {
            return "a mapping query must be exactly one SELECT statement; found ';' between statements";
        }

        var words = Words(code);
        if (words.Count == 0 || words[0] is not ("SELECT" or "WITH" or "VALUES"))
        {
            return $"a mapping query must start with SELECT (or WITH); found '{(words.Count == 0 ? "" : words[0])}'";
        }

        var bad = words.FirstOrDefault(w => Forbidden.Contains(w));
        return bad is null ? null : $"a mapping query may only read; it contains {bad}";
    }

    private static List<string> Words(string code)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        foreach (var ch in code + " ")
        {
            if (char.IsLetterOrDigit(ch) || ch == '_')
            {
                sb.Append(char.ToUpperInvariant(ch));
            }
            else if (sb.Length > 0)
            {
                words.Add(sb.ToString());
                sb.Clear();
            }
        }

        return words;
    }

    /// <summary>Replaces comments, string literals and quoted identifiers with spaces.</summary>
    internal static string StripLiterals(string sql)
    {
        var sb = new StringBuilder(sql.Length);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                i++;
                while (i < sql.Length)
                {
                    if (sql[i] == close)
                    {
                        // A doubled quote is an escaped quote inside the literal.
                        if (i + 1 < sql.Length && sql[i + 1] == close && close != ']')
                        {
                            i += 2;
                            continue;
                        }

                        break;
                    }

                    i++;
                }

                i++;
            }
            else
            {
                sb.Append(c);
                i++;
                continue;
            }

            sb.Append(' ');
        }

        return sb.ToString();
    }
}

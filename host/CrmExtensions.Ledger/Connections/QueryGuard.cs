using System.Text;
using CrmExtensions.Store.Providers;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CrmExtensions.Ledger.Connections;

/// <summary>Accepts only a single SELECT as a mapping query, so that nothing but reads ever reaches a ledger.</summary>
/// <remarks>
/// One of three locks: every mapping query also runs wrapped as a single derived-table SELECT
/// (<see cref="Reading.LedgerReader"/>), so a second statement is a syntax error, inside a read-only transaction on a
/// read-only connection. This check catches the mistake early, with a clear message. T-SQL is parsed with ScriptDom;
/// SQLite and PostgreSQL are scanned with their comments, strings and quoted names taken out, each by its own
/// literal syntax (PostgreSQL dollar quotes <c>$tag$…$tag$</c> and <c>E'…'</c> backslash escapes; SQLite
/// <c>[…]</c> and backquotes), and anything but one SELECT/WITH is refused.
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
        return provider == DatabaseProvider.SqlServer ? CheckTransactSql(query) : CheckScanned(provider, query);
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

    /// <summary>Splits a T-SQL query into its <c>WITH …</c> clause (empty when it has none) and the rest, since T-SQL
    /// allows no common table expression inside a derived table.</summary>
    internal static (string With, string Body) SplitTransactSqlWith(string query)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(query);
        var fragment = parser.Parse(reader, out var errors);
        if (errors.Count > 0
            || fragment is not TSqlScript { Batches: [{ Statements: [SelectStatement { WithCtesAndXmlNamespaces: { } with } select]}] })
        {
            return ("", query);
        }

        var bodyStart = select.QueryExpression.StartOffset;
        return ($"{query.AsSpan(with.StartOffset, with.FragmentLength)}\n", query[bodyStart..]);
    }

    private static string? CheckScanned(DatabaseProvider provider, string query)
    {
        var code = StripLiterals(provider, query).TrimEnd().TrimEnd(';');
        if (code.Contains(';', StringComparison.Ordinal))
        {
            return "a mapping query must be exactly one SELECT statement; found ';' between statements";
        }

        var words = Words(code);
        if (words.Count == 0 || words[0] is not ("SELECT" or "WITH"))
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

    /// <summary>Replaces comments, string literals and quoted identifiers with spaces, by the provider's own syntax.</summary>
    /// <remarks>An unterminated literal or comment swallows the rest of the text, as the engine would.</remarks>
    internal static string StripLiterals(DatabaseProvider provider, string sql)
    {
        var postgres = provider == DatabaseProvider.PostgreSql;
        var sb = new StringBuilder(sql.Length);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (c == '-' && next == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
            }
            else if (c == '/' && next == '*')
            {
                i = SkipBlockComment(sql, i, nested: postgres);
            }
            else if (postgres && c == '$' && DollarTag(sql, i) is { } tag)
            {
                var end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + tag.Length;
            }
            else if (postgres && c is 'E' or 'e' && next == '\'' && (i == 0 || !IsIdentifierChar(sql[i - 1])))
            {
                i = SkipQuoted(sql, i + 1, '\'', backslashEscapes: true);
            }
            else if (c is '\'' or '"' || (!postgres && c is '`' or '['))
            {
                i = SkipQuoted(sql, i, c == '[' ? ']' : c, backslashEscapes: false);
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

    /// <summary>Skips a literal opened at <paramref name="open"/>; a doubled closing quote is an escaped one.</summary>
    private static int SkipQuoted(string sql, int open, char close, bool backslashEscapes)
    {
        var i = open + 1;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (sql[i] == close)
            {
                if (close != ']' && i + 1 < sql.Length && sql[i + 1] == close)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }

    private static int SkipBlockComment(string sql, int open, bool nested)
    {
        var depth = 0;
        var i = open;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*' && (nested || depth == 0))
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && i + 1 < sql.Length && sql[i + 1] == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }

    /// <summary>The PostgreSQL dollar-quote tag (<c>$$</c>, <c>$name$</c>) opening at <paramref name="i"/>, or null
    /// for a positional parameter (<c>$1</c>) or a <c>$</c> inside an identifier.</summary>
    private static string? DollarTag(string sql, int i)
    {
        if (i > 0 && IsIdentifierChar(sql[i - 1]))
        {
            return null;
        }

        var j = i + 1;
        while (j < sql.Length && (char.IsLetter(sql[j]) || sql[j] == '_' || (j > i + 1 && char.IsDigit(sql[j]))))
        {
            j++;
        }

        return j < sql.Length && sql[j] == '$' ? sql[i..(j + 1)] : null;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
}

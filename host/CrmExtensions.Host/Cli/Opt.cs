using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CrmExtensions.Host.Cli;

/// <summary>Typed options and arguments the way every <c>crmx</c> command declares them: a value name for help, and one
/// message per wrong value that says what is accepted.</summary>
internal static class Opt
{
    /// <summary>An option with a text value, e.g. <c>--ledger NAME[,NAME]</c>.</summary>
    public static Option<string?> Text(string name, string valueName, string description, bool required = false) =>
        new(name) { HelpName = valueName, Description = description, Required = required };

    /// <summary>An option that may be given several times; its values in order.</summary>
    public static Option<string[]> Repeated(string name, string valueName, string description) =>
        new(name) { HelpName = valueName, Description = description, AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };

    /// <summary>A flag: present or not.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>A whole number within a range; <c>1_000</c> is accepted.</summary>
    public static Option<int> Int(string name, string valueName, string description, int defaultValue, int min, int max) =>
        new(name)
        {
            HelpName = valueName,
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseInt(result, name, min, max) ?? defaultValue,
        };

    /// <summary>A whole number within a range, or null when the option is absent.</summary>
    public static Option<int?> OptionalInt(string name, string valueName, string description, int min, int max) =>
        new(name) { HelpName = valueName, Description = description, CustomParser = result => ParseInt(result, name, min, max) };

    /// <summary>A day as <c>yyyy-MM-dd</c>, or null when absent.</summary>
    public static Option<DateOnly?> Date(string name, string description) =>
        new(name)
        {
            HelpName = "yyyy-MM-dd",
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    return day;
                }

                result.AddError($"{name} takes a date as yyyy-MM-dd, not '{text}'");
                return null;
            },
        };

    /// <summary>One positional value; missing is a usage error naming it (see <see cref="CrmxCommand.With"/>).</summary>
    public static Argument<string> One(string name, string? description = null) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    /// <summary>Any number of positional values.</summary>
    public static Argument<string[]> Many(string name, string? description = null) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };

    private static int? ParseInt(ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{name} takes a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}, not '{text}'");
        return null;
    }
}

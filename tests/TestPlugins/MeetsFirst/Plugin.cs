using CrmExtensions.Sdk;

[assembly: CrmPlugin(Meets.Plugin.Id, "1.0.0", Description = "A rule that meets Test.MeetsSecond's if both run at once, and lets it finish first.")]

namespace Meets;

internal static class Plugin
{
    public const string Id = "Test.MeetsFirst";
    public static bool WaitsForTheOther => true;
}

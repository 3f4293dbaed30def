using CrmExtensions.Sdk;

[assembly: CrmPlugin(Meets.Plugin.Id, "1.0.0", Description = "A rule that meets Test.MeetsFirst's if both run at once.")]

namespace Meets;

internal static class Plugin
{
    public const string Id = "Test.MeetsSecond";
    public static bool WaitsForTheOther => false;
}

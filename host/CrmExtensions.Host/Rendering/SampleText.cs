using CrmExtensions.Application.Internal;
using System.Globalization;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Samples;

namespace CrmExtensions.Host.Rendering;

/// <summary>How the sample generator is shown while it runs.</summary>
internal static class SampleText
{
    /// <summary>A progress line's view of the generator.</summary>
    public static IProgress<SampleProgress> Progress(ProgressLine line) =>
        new InlineProgress<SampleProgress>(p => line.Show(string.Create(CultureInfo.InvariantCulture, $"generating {p.Stage}: {p.Done:N0} / {p.Total:N0}")));
}

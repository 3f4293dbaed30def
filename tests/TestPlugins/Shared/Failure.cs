namespace TestPlugins.Shared;

/// <summary>The failures no process survives, as the bad test plugins' setting <c>failure</c> names them (linked into each).</summary>
internal static class Failure
{
    /// <summary>Fails as <paramref name="failure"/> says: <c>exit</c> (Environment.Exit(42)), <c>thread</c> (an unhandled exception
    /// on a thread it starts), <c>overflow</c> (a stack overflow), <c>busy</c> (a loop that ignores its token), <c>stdout</c> (a line written to the process's real standard output, which
    /// in a worker is the host's channel); returns for anything else.</summary>
    public static void Happen(string? failure)
    {
        switch (failure)
        {
            case "exit":
                Environment.Exit(42);
                break;
            case "thread":
                var thread = new Thread(() => throw new InvalidOperationException("thrown on the plugin's own thread"));
                thread.Start();
                thread.Join();
                break;
            case "overflow":
                Recurse(0);
                break;
            case "stdout":
                using (var output = Console.OpenStandardOutput())
                {
                    output.Write("written straight to the standard output\n"u8);
                    output.Flush();
                }

                break;
            case "busy":
                while (true)
                {
                    Thread.SpinWait(1000);
                }
        }
    }

    private static int Recurse(int depth) => Recurse(depth + 1) + 1;
}

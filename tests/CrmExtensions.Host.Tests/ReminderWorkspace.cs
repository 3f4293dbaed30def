using System.Diagnostics;
using System.Reflection;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests;

/// <summary>A demo workspace on a test store with the Test.Reminders plugin installed, and real <c>crmx</c> processes on it.</summary>
internal sealed class ReminderWorkspace
{
    private ReminderWorkspace(string folder, Dictionary<string, string> environment, TimeProvider time)
    {
        Folder = folder;
        Environment = environment;
        Time = time;
    }

    /// <summary>The workspace folder (crmx.json, ledgers, plugins).</summary>
    public string Folder { get; }

    /// <summary>The <c>CRMX__…</c> overrides that point crmx at the test store.</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>The clock of every in-process run, the demo's included.</summary>
    public TimeProvider Time { get; }

    /// <summary>Builds the demo's sample ledgers under <paramref name="root"/>, points the store at <paramref name="store"/> and installs
    /// the plugin; in-process runs read <paramref name="time"/> (the system clock if none).</summary>
    public static ReminderWorkspace Create(TempDirectory root, TestDatabase store, int counterparties = 300, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var demo = Crmx.Run(root.Path, null, interactive: false, time, "demo", "--counterparties", counterparties.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "7");
        Assert.That(demo.ExitCode, Is.Zero, demo.Error);
        var folder = Path.Combine(root.Path, "crmx-demo");
        // The demo installs the shipped plugins; these tests count what one known rule plugin does, alone.
        foreach (var shipped in Directory.GetDirectories(Path.Combine(folder, "plugins"), "CrmExtensions.Plugins.*"))
        {
            Directory.Delete(shipped, recursive: true);
        }

        InstallPlugin(Path.Combine(folder, "plugins"), "Reminders");
        return new ReminderWorkspace(folder, new Dictionary<string, string>
        {
            ["CRMX__store__provider"] = store.Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
            ["CRMX__store__connectionString"] = store.ConnectionString,
            ["CRMX__reminders__timeZone"] = "Europe/Moscow",
        }, time);
    }

    public static void InstallPlugin(string pluginsDirectory, string name)
    {
        var configuration = typeof(ReminderWorkspace).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var source = Path.Combine(TestEnvironment.RepoRoot, "tests", "TestPlugins", "bin", configuration, name);
        Assert.That(Directory.Exists(source), Is.True, $"test plugin {name} is not built at {source}");
        TestFiles.CopyDirectory(source, Path.Combine(pluginsDirectory, name));
    }

    public CrmxResult Run(params string[] args) => Crmx.Run(Folder, Environment, interactive: false, Time, args);

    /// <summary>Runs crmx in-process with <paramref name="environment"/> in place of the workspace's own overrides.</summary>
    public CrmxResult Run(IReadOnlyDictionary<string, string> environment, params string[] args) => Crmx.Run(Folder, environment, interactive: false, Time, args);

    /// <summary>Runs crmx in-process as if at a terminal, with its progress lines.</summary>
    public CrmxResult RunInteractive(params string[] args) => Crmx.Run(Folder, Environment, interactive: true, Time, args);

    /// <summary>Starts the built crmx as a process of its own in the workspace.</summary>
    public Process Start(IReadOnlyDictionary<string, string> extra, params string[] args)
    {
        var info = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment.Concat(extra))
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }
}

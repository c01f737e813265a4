using System.Runtime.CompilerServices;

namespace LprEvents.Tests.Support;

internal static class TestProcessSettings
{
    /// <summary>
    /// Dozens of test hosts run in one process, each watching its content root and views for changes. Linux
    /// allows 128 inotify instances per user by default, so the watchers poll instead.
    /// </summary>
    [ModuleInitializer]
    internal static void UsePollingFileWatchers() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
}

using System.Diagnostics;

namespace LprEvents.Tests.Support;

/// <summary>Starting the built web app as a separate process, as an operator would.</summary>
public static class WebProject
{
    /// <summary>The web project's own build output (bin/{Configuration}/net10.0), as an operator would start it.</summary>
    public static string OutputFolder()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LprEvents.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        return Path.Combine(root.FullName, "src", "LprEvents.Web", "bin", configuration, framework);
    }

    /// <summary>The built app with these arguments and environment variables (null removes one), its output redirected.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var webOutput = OutputFolder();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(webOutput, "LprEvents.Web.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = webOutput,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>
    /// Runs the built app (with <paramref name="arguments"/>, e.g. a command) in its own process with these
    /// environment variables (null removes one) and waits at most a minute. Returns the exit code and everything
    /// it wrote to the console.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(environment, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // Generous: a command starts the whole app, and the test suite runs many of them beside browser tests on
        // two cores. A process that really hangs is killed, so it does not outlive the test run.
        timeout.CancelAfter(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app did not exit within 180 s: {string.Join(' ', arguments)}");
        }

        return (process.ExitCode, await output + await errors);
    }
}

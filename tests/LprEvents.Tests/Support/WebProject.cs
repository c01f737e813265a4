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
}

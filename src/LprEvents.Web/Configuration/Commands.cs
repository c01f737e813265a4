using LprEvents.Web.Services;
using LprEvents.Web.Services.Search;
using Microsoft.AspNetCore.Identity;

namespace LprEvents.Web.Configuration;

/// <summary>Operator commands: <c>dotnet run --project src/LprEvents.Web -- create-admin EMAIL</c>, <c>… -- reindex</c>.</summary>
public static class Commands
{
    /// <summary>Whether the command line names a command (rather than configuration such as <c>--urls</c> or <c>Key=Value</c>).</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=');

    /// <summary>Runs a command given on the command line; null when there is none and the site should start.</summary>
    public static async Task<int?> RunCommandAsync(this WebApplication app, string[] args)
    {
        if (!IsCommand(args))
        {
            return null;
        }

        switch (args)
        {
            case ["create-admin", var email]:
                using (var scope = app.Services.CreateScope())
                {
                    var accounts = scope.ServiceProvider.GetRequiredService<AdminAccounts>();
                    var (password, errors) = await accounts.CreateAsync(email.Trim(), IdentitySetup.AdminRole, "Administration");
                    if (password is null)
                    {
                        await Console.Error.WriteLineAsync($"Could not create {email}: {string.Join(" ", errors)}");
                        return 1;
                    }

                    // Written to the console only, never to the log files.
                    Console.WriteLine($"Admin account created: {email}");
                    Console.WriteLine($"One-time password:     {password}");
                    Console.WriteLine("Sign in at /admin/anmelden and change it under /admin/konto.");
                    return 0;
                }

            case ["reindex"]:
                using (var scope = app.Services.CreateScope())
                {
                    // Rebuilds the site search's index from the articles and events (docs/decisions/0021).
                    var indexer = scope.ServiceProvider.GetRequiredService<SearchIndexer>();
                    var progress = new ConsoleProgress(count => Console.Write($"\rIndexed {count} articles and events…"));
                    var written = await indexer.RebuildAsync(CancellationToken.None, progress);
                    Console.WriteLine($"\rSearch index rebuilt: {written} articles and events.");
                    return 0;
                }

            default:
                await Console.Error.WriteLineAsync("Unknown command. Usage: create-admin EMAIL | reindex");
                return 2;
        }
    }

    /// <summary>Reports at once, on the indexing thread (<see cref="Progress{T}"/> would post later, after the last line).</summary>
    private sealed class ConsoleProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

using LprEvents.Web.Data.Seeding;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Search;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Operator commands: <c>dotnet run --project src/LprEvents.Web -- init</c> (a first install: creates and migrates the
/// database), <c>… -- create-admin EMAIL</c>, <c>… -- reindex</c>, the
/// test-data tool <c>seed-load --articles N --events N --participants N [--yes]</c> (load-test content for bench/), and
/// <c>backup [--to DIR]</c> (<see cref="BackupSetup"/>; <c>restore FROM</c> runs earlier, before the database is opened).
/// </summary>
public static class Commands
{
    /// <summary>Whether the command line names a command (rather than configuration such as <c>--urls</c> or <c>Key=Value</c>).</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=');

    /// <summary>
    /// <c>init</c>: the one command that may create a missing database (docs/decisions/0028). It is run by
    /// <see cref="DatabaseSetup.InitialiseDatabaseAsync"/> itself (create, migrate, seed the reference data);
    /// <see cref="RunCommandAsync"/> then only reports.
    /// </summary>
    public static bool IsInit(string[] args) => args is ["init"];

    /// <summary>Runs a command given on the command line; null when there is none and the site should start.</summary>
    public static async Task<int?> RunCommandAsync(this WebApplication app, string[] args)
    {
        if (!IsCommand(args))
        {
            return null;
        }

        switch (args)
        {
            case ["init"]:
                using (var scope = app.Services.CreateScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<Data.LprEventsDbContext>();
                    var migrations = (await db.Database.GetAppliedMigrationsAsync()).Count();
                    Console.WriteLine($"Database ready ({db.Database.GetDbConnection().DataSource}): {migrations} migrations applied, reference data seeded. Next: create-admin EMAIL, then start the site.");
                    return 0;
                }

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

            case ["seed-load", .. var options]:
                return await SeedLoadAsync(app, options);

            case ["backup", .. var options]:
                return await BackupSetup.BackupCommandAsync(app, options);

            default:
                await Console.Error.WriteLineAsync("Unknown command. Usage: init | create-admin EMAIL | reindex | " + SeedLoadUsage + " | " + BackupSetup.BackupUsage + " | " + BackupSetup.RestoreUsage);
                return 2;
        }
    }

    private const string SeedLoadUsage = "seed-load [--articles N] [--events N] [--participants N] [--yes]";

    /// <summary>
    /// Fills the configured database with load-test content up to the given totals (resumable, see
    /// <see cref="LoadSeeder"/>). A test-data tool: against a Production environment only with <c>--yes</c>.
    /// </summary>
    private static async Task<int> SeedLoadAsync(WebApplication app, string[] options)
    {
        int? articles = 0, events = 0, participants = 0;
        var yes = false;
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--yes":
                    yes = true;
                    break;
                case "--articles" when i + 1 < options.Length:
                    articles = Count(options[++i]);
                    break;
                case "--events" when i + 1 < options.Length:
                    events = Count(options[++i]);
                    break;
                case "--participants" when i + 1 < options.Length:
                    participants = Count(options[++i]);
                    break;
                default:
                    articles = null;
                    break;
            }
        }

        if (articles is null || events is null || participants is null)
        {
            await Console.Error.WriteLineAsync("Usage: " + SeedLoadUsage + " (N a whole number from 0 up)");
            return 2;
        }

        if (app.Environment.IsProduction() && !yes)
        {
            await Console.Error.WriteLineAsync(
                "seed-load writes invented test data. The environment is Production: add --yes if this database really is a test database.");
            return 3;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var scope = app.Services.CreateScope();
        var seeder = ActivatorUtilities.CreateInstance<LoadSeeder>(scope.ServiceProvider);
        var added = await seeder.SeedAsync(new LoadSeedTargets(articles.Value, events.Value, participants.Value), ConsoleProgressBar.ForConsole());

        // The site search finds the new content at once (docs/decisions/0021).
        var indexed = await scope.ServiceProvider.GetRequiredService<SearchIndexer>().IndexMissingAsync(CancellationToken.None);
        Console.WriteLine($"Search index: {indexed} articles and events added.");

        Console.WriteLine(
            $"seed-load: added {added.Articles} articles, {added.Events} events, {added.Participants} participants in {started.Elapsed.TotalSeconds:0} s.");
        return 0;
    }

    private static int? Count(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Reports at once, on the indexing thread (<see cref="Progress{T}"/> would post later, after the last line).</summary>
    private sealed class ConsoleProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

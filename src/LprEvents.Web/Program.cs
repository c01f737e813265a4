using LprEvents.Web.Configuration;

var builder = WebApplication.CreateBuilder(args);

builder.AddLprLogging();
builder.AddLprMetrics();
builder.AddLprRequestLimits();
builder.AddLprDatabase();
builder.AddLprMvc();
builder.AddLprFeeds();
builder.AddLprRegistration();
builder.AddLprIdentity();
builder.AddLprTransportSecurity();
builder.AddLprAdmin();
builder.AddLprSearch();
builder.AddLprCaching();
builder.AddLprRedis();
builder.AddLprCompression();
builder.AddLprBackup();

// Disposed on every way out, so that the asynchronous log sinks write their last lines (a failed start, a command).
await using var app = builder.Build();

// A setting out of its range (checked by the options' validation at first use or at start) stops the start with one
// critical line naming it, not an unhandled exception and its stack trace.
try
{
    if (!app.HasValidSiteSettings())
    {
        return 1;
    }

    // Every section validated on start, now: a failure inside the host's start would be logged with its stack trace.
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();

    app.UseLprSite();

    // `restore` runs before the database is opened (it must work on a missing or broken file); the site takes its lock here.
    if (await app.RunOfflineCommandAsync(args) is { } offlineExitCode)
    {
        return offlineExitCode;
    }

    if (!await app.InitialiseDatabaseAsync(args) || !app.HoldSiteLockAfterInitialisation(args))
    {
        return 1;
    }

    if (await app.RunCommandAsync(args) is { } exitCode)
    {
        return exitCode;
    }

    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (InvalidSettings(ex) is { Count: > 0 } failures)
{
    app.Logger.LogCritical("Invalid settings: {Failures:l} The application stops (docs/operations.md lists the settings).", string.Join(" ", failures));
    return 1;
}

// The failures of an OptionsValidationException, or of several (an AggregateException of them), else none.
static List<string> InvalidSettings(Exception ex) => ex switch
{
    Microsoft.Extensions.Options.OptionsValidationException invalid => [.. invalid.Failures],
    AggregateException { InnerExceptions: var inner } when inner.All(e => e is Microsoft.Extensions.Options.OptionsValidationException) =>
        [.. inner.Cast<Microsoft.Extensions.Options.OptionsValidationException>().SelectMany(e => e.Failures)],
    _ => [],
};

/// <summary>Entry point, visible to the in-process HTTP tests (WebApplicationFactory).</summary>
public partial class Program;

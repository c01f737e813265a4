using System.Globalization;
using LprEvents.Web.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Backups;

/// <summary>What the dashboard and <c>/health/ready</c> say about backups: nothing, or one problem.</summary>
public enum BackupProblem
{
    None,
    NoBackup,
    TooOld,
    LastRunFailed,
}

/// <summary>
/// Part of <c>/health/ready</c> on SQLite: Degraded (never Unhealthy: the site itself works) when there is no backup,
/// the newest is older than <c>Backup:MaxAgeHours</c>, or the latest attempt failed. Checked where backups are
/// scheduled, and in Production always, so that a production site without any backup is noticed (ADR 0029).
/// </summary>
public sealed class BackupHealthCheck(BackupFiles files, TimeProvider time, IOptions<BackupOptions> options, IWebHostEnvironment environment) : IHealthCheck
{
    public const string Name = "backup";

    /// <summary>Whether backups are watched here: SQLite, a limit set, and a schedule or a production site.</summary>
    public static bool IsWatched(BackupFiles files, BackupOptions options, IWebHostEnvironment environment) =>
        files.DatabasePath is not null && options.MaxAgeHours > 0 && (options.IsScheduled || environment.IsProduction());

    public static BackupProblem ProblemOf(BackupState state, DateTime nowUtc, BackupOptions options) =>
        state.LastRunFailed ? BackupProblem.LastRunFailed
        : state.Newest is not { } newest ? BackupProblem.NoBackup
        : options.MaxAgeHours > 0 && nowUtc - newest.CreatedAtUtc > TimeSpan.FromHours(options.MaxAgeHours) ? BackupProblem.TooOld
        : BackupProblem.None;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!IsWatched(files, options.Value, environment) || files.ReadState() is not { } state)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Backups are not watched here."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var limit = options.Value.MaxAgeHours;
        var age = state.Newest is { } newest ? (long)Math.Max(0, (now - newest.CreatedAtUtc).TotalHours) : (long?)null;
        var description = ProblemOf(state, now, options.Value) switch
        {
            BackupProblem.LastRunFailed => string.Create(CultureInfo.InvariantCulture, $"The last backup attempt failed ({state.LastRun!.AtUtc:yyyy-MM-dd HH:mm} UTC); see the log."),
            BackupProblem.NoBackup => "No backup yet (set Backup:Schedule or run the backup command; docs/operations.md).",
            BackupProblem.TooOld => string.Create(CultureInfo.InvariantCulture, $"Newest backup is {age} h old (limit {limit} h)."),
            _ => null,
        };
        var ok = string.Create(CultureInfo.InvariantCulture, $"Newest backup is {age} h old (limit {limit} h).");
        return Task.FromResult(description is null ? HealthCheckResult.Healthy(ok) : HealthCheckResult.Degraded(description));
    }
}

using LprEvents.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Backups;

/// <summary>
/// <c>Backup:Schedule</c>: every <c>Backup:CheckIntervalSeconds</c> the running site looks whether the latest scheduled
/// time (Europe/Berlin) has passed without a backup since, and then makes one, so that a site that was down at
/// 03:30 makes it when it is back. A failed attempt is tried again after <see cref="RetryAfterFailure"/>. One
/// instance at a time, under the lease "backup" (ADR 0026, 0029).
/// </summary>
public sealed class BackupScheduler(
    IServiceScopeFactory scopes,
    SqliteBackup backup,
    BackupFiles files,
    TimeProvider time,
    IOptions<BackupOptions> options,
    ILogger<BackupScheduler> logger) : PeriodicJob<bool>(time, logger)
{
    public const string LeaseName = "backup";

    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(15);

    private readonly JobLeaseHolder _lease = new(LeaseName, scopes);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _lease.ReleaseAsync(Time.GetUtcNow().UtcDateTime, Logger, cancellationToken);
    }

    /// <summary>The latest scheduled time at or before <paramref name="nowUtc"/>; null without a schedule.</summary>
    public static DateTime? LatestSlot(DateTime nowUtc, IReadOnlyList<TimeOnly> times)
    {
        if (times.Count == 0)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(BerlinTime.ToLocal(nowUtc));
        for (var back = 0; back <= 1; back++)
        {
            var day = today.AddDays(-back);
            foreach (var time in times.Reverse())
            {
                var slot = BerlinTime.ToUtc(day, time.Hour, time.Minute);
                if (slot <= nowUtc)
                {
                    return slot;
                }
            }
        }

        return BerlinTime.ToUtc(today.AddDays(-2), times[^1].Hour, times[^1].Minute);
    }

    /// <summary>Makes a backup when one is due. Returns whether it made one.</summary>
    protected override async Task<bool> RunAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        if (LatestSlot(now, options.Value.Times) is not { } slot || files.ReadState() is not { } state)
        {
            return false;
        }

        if (state.Newest is { } newest && newest.CreatedAtUtc >= slot)
        {
            return false;
        }

        if (state.LastRun is { Succeeded: false } failed && failed.AtUtc >= slot && now - failed.AtUtc < RetryAfterFailure)
        {
            return false;
        }

        // The lease outlasts a long copy; a crashed holder's lease expires after it and another instance goes on.
        var hold = TimeSpan.FromMinutes(30) > Interval ? TimeSpan.FromMinutes(30) : Interval;
        if (!await _lease.TryRenewAsync(now, hold, ct))
        {
            Logger.LogDebug("Scheduled backup skipped: another instance holds the lease");
            return false;
        }

        var result = await backup.CreateAsync(null, ct);
        return result.Succeeded;
    }
}

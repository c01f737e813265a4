using System.Globalization;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Email;

/// <summary>
/// Part of <c>/health/ready</c>: Degraded when the oldest message still waiting in the outbox was written longer
/// ago than <see cref="EmailOptions.OutboxMaxAgeMinutes"/> (the mail server is down or the outbox does not keep
/// up). One seek on the index (Status, CreatedAtUtc); reports an age and a count band, never an address.
/// </summary>
public sealed class OutboxHealthCheck(LprEventsDbContext db, TimeProvider time, IOptions<EmailOptions> options) : IHealthCheck
{
    public const string Name = "outbox";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var oldest = await OldestWaitingAsync(db, cancellationToken);
        if (oldest is not { } created)
        {
            return HealthCheckResult.Healthy("Keine E-Mail wartet.", new Dictionary<string, object> { ["oldestWaitingSeconds"] = 0 });
        }

        var age = time.GetUtcNow().UtcDateTime - created;
        var seconds = Math.Max(0, (long)age.TotalSeconds);
        var data = new Dictionary<string, object> { ["oldestWaitingSeconds"] = seconds };
        var limit = TimeSpan.FromMinutes(options.Value.OutboxMaxAgeMinutes);
        var description = string.Create(CultureInfo.InvariantCulture, $"Oldest waiting e-mail: {seconds} s (limit {(long)limit.TotalSeconds} s).");
        return age > limit ? HealthCheckResult.Degraded(description, data: data) : HealthCheckResult.Healthy(description, data);
    }

    /// <summary>When the oldest message still waiting was written, or null when none waits.</summary>
    public static Task<DateTime?> OldestWaitingAsync(LprEventsDbContext db, CancellationToken ct) =>
        db.OutboxMessages.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending)
            .MinAsync(m => (DateTime?)m.CreatedAtUtc, ct);
}

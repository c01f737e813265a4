using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services;

/// <summary>
/// Leases in the database (<see cref="JobLease"/>, ADR 0026): with several app instances, one at a time runs a
/// background job. The holder renews its lease on every run, so it keeps the job while it lives; when it stops
/// (crash, upgrade), another instance takes the job over once the lease has expired.
/// </summary>
public static class JobLeases
{
    /// <summary>This process's name as a holder: host, process id and a random part (two test hosts in one process differ).</summary>
    public static string NewHolder() =>
        $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> until <paramref name="until"/> if it is free, expired at
    /// <paramref name="now"/> or already held by <paramref name="holder"/>. One conditional UPDATE decides; the first
    /// run ever inserts the row (a second instance inserting at the same moment loses on the primary key).
    /// </summary>
    public static async Task<bool> TryTakeAsync(LprEventsDbContext db, string name, string holder, DateTime now, DateTime until, CancellationToken ct)
    {
        if (await Take(db, name, holder, now).ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAtUtc, until), ct) == 1)
        {
            return true;
        }

        if (await db.JobLeases.AnyAsync(l => l.Name == name, ct))
        {
            return false;
        }

        var lease = new JobLease { Name = name, Holder = holder, ExpiresAtUtc = until };
        db.JobLeases.Add(lease);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance created it first: it holds the lease.
            return false;
        }
        finally
        {
            db.Entry(lease).State = EntityState.Detached;
        }
    }

    /// <summary>The lease row this holder may take now (the conditional UPDATE's WHERE; parsed as T-SQL in the tests).</summary>
    public static IQueryable<JobLease> Take(LprEventsDbContext db, string name, string holder, DateTime now) =>
        db.JobLeases.Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAtUtc <= now));

    /// <summary>Gives the lease up at once (on shutdown), so that another instance need not wait for it to expire.</summary>
    public static Task<int> ReleaseAsync(LprEventsDbContext db, string name, string holder, DateTime now, CancellationToken ct) =>
        db.JobLeases.Where(l => l.Name == name && l.Holder == holder).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAtUtc, now), ct);
}

/// <summary>One job's lease as held by this instance: renewed at every run for one interval and a minute more.</summary>
public sealed class JobLeaseHolder(string name, IServiceScopeFactory scopes)
{
    public string Name => name;

    public string Holder { get; } = JobLeases.NewHolder();

    /// <summary>Takes or renews the lease until a minute after the next run is due; false while another instance holds it.</summary>
    public async Task<bool> TryRenewAsync(DateTime now, TimeSpan interval, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();
        return await JobLeases.TryTakeAsync(db, name, Holder, now, now + interval + TimeSpan.FromMinutes(1), ct);
    }

    /// <summary>On shutdown: gives the lease up, so that another instance need not wait for it to expire. Never throws.</summary>
    public async Task ReleaseAsync(DateTime now, ILogger logger, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await JobLeases.ReleaseAsync(scope.ServiceProvider.GetRequiredService<LprEventsDbContext>(), name, Holder, now, ct);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The lease {Lease} could not be given up; another instance takes the job over when it expires", name);
        }
    }
}

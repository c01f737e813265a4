using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LprEvents.Web.Configuration;

/// <summary>
/// A database that is locked, overloaded or unreachable for a moment is not a bug: such requests get a German 503
/// page with <c>Retry-After</c> (ErrorController, the registration form keeps what was typed) instead of a 500 after
/// half a minute. SQLite waits at most <see cref="DatabaseOptions.SqliteBusyTimeoutSeconds"/> for a lock; the
/// readiness check gives up after <see cref="ReadyTimeout"/> (docs/decisions/0027).
/// </summary>
public static class DatabaseAvailability
{
    /// <summary>Seconds a client is asked to wait before trying again.</summary>
    public const int RetryAfterSeconds = 10;

    /// <summary>ViewData flag: the form is shown again because its data could not be stored.</summary>
    public const string UnavailableKey = "DatabaseUnavailable";

    /// <summary>The longest <c>/health/ready</c> waits for the database.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(1.5);

    // SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PROTOCOL.
    private static readonly HashSet<int> SqliteCodes = [3, 5, 6, 8, 10, 13, 14, 15];

    // Timeouts, deadlock victim, lock timeout, database or server unreachable or busy (Azure and on-premises).
    private static readonly HashSet<int> SqlServerNumbers =
        [-2, -1, 2, 53, 64, 121, 233, 258, 1205, 1222, 4060, 4221, 10053, 10054, 10060, 10061, 10928, 10929, 11001, 18456, 40143, 40197, 40501, 40613, 49918, 49919, 49920];

    /// <summary>True when <paramref name="exception"/> (or one it wraps, e.g. a DbUpdateException) says the database is busy or unreachable.</summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case SqliteException sqlite when SqliteCodes.Contains(sqlite.SqliteErrorCode):
                case SqlException sql when sql.Errors.Cast<SqlError>().Any(e => SqlServerNumbers.Contains(e.Number)):
                case TimeoutException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }

        return false;
    }

    /// <summary>Sets 503 and <c>Retry-After</c> on the response (not yet started).</summary>
    public static void MarkUnavailable(HttpResponse response)
    {
        LprMetrics.DatabaseUnavailable();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// <c>/health/ready</c>'s database check: one cheap read with a short command timeout and a hard deadline, so that
/// a locked or unreachable database answers "unhealthy" within <see cref="DatabaseAvailability.ReadyTimeout"/>.
/// Other checks (outbox age, a write probe) are further registrations tagged <c>ready</c>.
/// </summary>
public sealed class DatabaseReadyCheck(Data.LprEventsDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        db.Database.SetCommandTimeout(1);
        try
        {
            // The query runs on the thread pool: SQLite waits for a lock synchronously, and the deadline must hold anyway.
            var query = Task.Run(() => db.Regions.AnyAsync(cancellationToken), cancellationToken);
            return await query.WaitAsync(DatabaseAvailability.ReadyTimeout, cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database has no regions.");
        }
        catch (TimeoutException)
        {
            // Any other exception is reported as unhealthy by the health check service itself.
            return HealthCheckResult.Unhealthy($"The database did not answer within {DatabaseAvailability.ReadyTimeout.TotalSeconds} s.");
        }
    }
}

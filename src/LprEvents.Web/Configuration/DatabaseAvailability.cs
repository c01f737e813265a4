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

    /// <summary>
    /// The longest a web request waits for a database that is locked or unreachable before it answers 503: SQLite's
    /// busy timeout and SQL Server's connect and command timeouts are below it, and SQL Server's retries of
    /// transient faults stop where they would pass it (<see cref="Data.BoundedSqlServerRetries"/>).
    /// </summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

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
/// <c>/health/ready</c>'s database check: proves within <see cref="DatabaseAvailability.ReadyTimeout"/> that the
/// database is this app's, readable and writable, and (SQLite) still the file the app has open. One cheap read (the
/// regions) on the app's own pooled connection, which the <see cref="DatabaseFileInterceptor"/> checks for a moved
/// file; then a write probe that is rolled back: on SQLite on a fresh, unpooled connection that opens the configured
/// path with <c>Mode=ReadWrite</c> (a missing file fails, none is created) and takes the write lock
/// (<c>BEGIN IMMEDIATE</c>); on SQL Server in a transaction on the app's connection. A failure is 503 with a short
/// description and one critical log line on the transition (<see cref="DatabaseFileGuard.Report"/>); see
/// docs/decisions/0027 and 0028. Other checks (outbox age, backup age) are further registrations tagged <c>ready</c>.
/// </summary>
public sealed class DatabaseReadyCheck(Data.LprEventsDbContext db, DatabaseFileGuard guard) : IHealthCheck
{
    /// <summary>Rewrites one row to itself and is rolled back: the write lock, without changing anything.</summary>
    public const string SqliteWriteProbe =
        "UPDATE \"__EFMigrationsHistory\" SET \"ProductVersion\" = \"ProductVersion\" WHERE rowid = (SELECT min(rowid) FROM \"__EFMigrationsHistory\");";

    /// <summary>The same for SQL Server (parsed as T-SQL in SqlServerQueryTests).</summary>
    public const string SqlServerWriteProbe =
        "UPDATE TOP (1) [__EFMigrationsHistory] SET [ProductVersion] = [ProductVersion];";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var (result, detail) = await ProbeWithinDeadlineAsync(cancellationToken);
        guard.Report(result.Status == HealthStatus.Healthy, detail);
        return result;
    }

    private async Task<(HealthCheckResult Result, string Detail)> ProbeWithinDeadlineAsync(CancellationToken cancellationToken)
    {
        db.Database.SetCommandTimeout(1);
        try
        {
            // The probe runs on the thread pool: SQLite waits for a lock synchronously, and the deadline must hold anyway.
            var probe = Task.Run(() => ProbeAsync(cancellationToken), cancellationToken);
            return await probe.WaitAsync(DatabaseAvailability.ReadyTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            var seconds = DatabaseAvailability.ReadyTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return (HealthCheckResult.Unhealthy($"The database did not answer within {seconds} s."),
                $"the database did not answer a read and a write within {seconds} s (locked by a long transaction, overloaded or unreachable); requests that need it answer 503");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Describe(ex);
        }
    }

    private async Task<(HealthCheckResult, string)> ProbeAsync(CancellationToken ct)
    {
        if (!await db.Regions.AnyAsync(ct))
        {
            return (HealthCheckResult.Unhealthy("The database has no regions."), "the database has no regions: it is not this app's database or was never initialised");
        }

        if (db.Database.IsSqlite())
        {
            await SqliteWriteProbeAsync(ct);
        }
        else
        {
            await SqlServerWriteProbeAsync(ct);
        }

        return (HealthCheckResult.Healthy(), "the database answers reads and writes");
    }

    private async Task SqliteWriteProbeAsync(CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource == ":memory:")
        {
            return;
        }

        builder.Mode = SqliteOpenMode.ReadWrite;
        builder.Pooling = false;
        builder.DefaultTimeout = 1;
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = SqliteWriteProbe;
        await command.ExecuteNonQueryAsync(ct);
        await transaction.RollbackAsync(ct);
    }

    private async Task SqlServerWriteProbeAsync(CancellationToken ct)
    {
        // Plain ADO.NET on the context's connection: no execution strategy (its retries would outlast the deadline).
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = SqlServerWriteProbe;
            command.CommandTimeout = 1;
            await command.ExecuteNonQueryAsync(ct);
            await transaction.RollbackAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A short public description (no paths, no server names) and the operator's log detail.</summary>
    private (HealthCheckResult, string) Describe(Exception ex)
    {
        if (ex is SqliteException { SqliteExtendedErrorCode: DatabaseFileGuard.MovedExtendedCode })
        {
            return (HealthCheckResult.Unhealthy("The database file at the configured path is not the file the app had open (renamed, replaced or deleted)."),
                DatabaseFileGuard.MovedDetail(SqliteFile()));
        }

        if (db.Database.IsSqlite() && ex is SqliteException { SqliteErrorCode: 14 } && !File.Exists(SqliteFile()))
        {
            // Where SQLite cannot tell a moved file (another native library), pooled connections may still hold the old
            // one: they are discarded, and new ones cannot open the missing file.
            using (var pooled = new SqliteConnection(db.Database.GetConnectionString()))
            {
                SqliteConnection.ClearPool(pooled);
            }

            return (HealthCheckResult.Unhealthy("The database file is missing."),
                $"the SQLite database file {SqliteFile()} is missing (renamed or deleted while the app was running); requests that need it answer 503 and no new file is created. Rename the file back or restore it from a backup (docs/operations.md, \"The database file\"); the app carries on by itself once the file is back");
        }

        var code = ex switch
        {
            SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}",
            Microsoft.Data.SqlClient.SqlException sql => $"SQL Server error {sql.Number}",
            _ => ex.GetType().Name,
        };
        return (HealthCheckResult.Unhealthy($"The database cannot be read or written ({code})."),
            $"the database cannot be read or written ({ex.GetType().Name}: {ex.Message}); requests that need it answer 503");
    }

    private string SqliteFile() => new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
}

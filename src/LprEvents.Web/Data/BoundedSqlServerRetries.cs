using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LprEvents.Web.Data;

/// <summary>
/// SQL Server's retrying execution strategy (<c>EnableRetryOnFailure</c>: up to <see cref="Retries"/> retries,
/// delays growing to <see cref="LongestDelay"/>) with a time budget for web requests: a transient fault is retried
/// only while the retry, as long as the last attempt took, can still end within the budget. A fault that comes fast
/// (a dropped connection, a deadlock victim once SQL Server's deadlock monitor runs often) is retried as before; a
/// server that is gone (each attempt waiting the connect timeout) is answered 503 within the budget instead of after
/// four attempts and their delays (ADR 0027). Used for contexts created during a web request only. When it stops
/// early EF still reports "Maximum number of retries (3) exceeded".
/// </summary>
public sealed class BoundedSqlServerRetries(ExecutionStrategyDependencies dependencies, TimeSpan budget)
    : SqlServerRetryingExecutionStrategy(dependencies, Retries, LongestDelay, errorNumbersToAdd: null)
{
    public const int Retries = 3;

    public static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(2);

    private long firstStarted;
    private long attemptStarted;
    private TimeSpan pendingDelay;

    /// <summary>Whether a retry after <paramref name="delay"/> that takes as long as <paramref name="lastAttempt"/> ends within <paramref name="budget"/>.</summary>
    public static bool RetryFits(TimeSpan elapsed, TimeSpan delay, TimeSpan lastAttempt, TimeSpan budget) =>
        elapsed + delay + lastAttempt <= budget;

    protected override void OnFirstExecution()
    {
        base.OnFirstExecution();
        firstStarted = attemptStarted = Stopwatch.GetTimestamp();
    }

    protected override void OnRetry()
    {
        base.OnRetry();
        // EF calls this before it waits the delay: the next attempt starts when the delay is over.
        attemptStarted = Stopwatch.GetTimestamp() + (long)(pendingDelay.TotalSeconds * Stopwatch.Frequency);
    }

    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        var delay = base.GetNextDelay(lastException);
        if (delay is not { } next || !RetryFits(Stopwatch.GetElapsedTime(firstStarted), next, Stopwatch.GetElapsedTime(attemptStarted), budget))
        {
            return null;
        }

        pendingDelay = next;
        return next;
    }
}

using LprEvents.Web.Configuration;

namespace LprEvents.Web.Services;

/// <summary>
/// A background job that runs once at start and then every <see cref="Interval"/> on the app's
/// <see cref="TimeProvider"/>. A failed run is logged and retried at the next tick; runs never overlap, also
/// when a test or an admin triggers <see cref="RunOnceAsync"/> directly.
/// </summary>
public abstract class PeriodicJob<TResult>(TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly SemaphoreSlim _running = new(1, 1);

    protected TimeProvider Time { get; } = time;

    protected ILogger Logger { get; } = logger;

    protected abstract TimeSpan Interval { get; }

    public async Task<TResult> RunOnceAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var result = await RunAsync(ct);
            LprMetrics.JobRun(GetType().Name, succeeded: true);
            return result;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            LprMetrics.JobRun(GetType().Name, succeeded: false);
            throw;
        }
        finally
        {
            _running.Release();
        }
    }

    protected abstract Task<TResult> RunAsync(CancellationToken ct);

    /// <summary>
    /// Completes when the job should run before its next tick (work has arrived); the default never does. Asked
    /// once after every run.
    /// </summary>
    protected virtual Task WakeUpAsync() => Task.Delay(Timeout.Infinite);

    /// <summary>How long a woken job waits before it runs, so that work arriving together is done in one run.</summary>
    protected virtual TimeSpan GatherDelay => TimeSpan.Zero;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        Task<bool>? tick = null;
        while (true)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or the mail server may be briefly unavailable; the next tick tries again.
                Logger.LogError(ex, "{Job} failed; it runs again in {Interval}", GetType().Name, Interval);
            }

            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            var woken = WakeUpAsync();
            if (await Task.WhenAny(tick, woken) == woken && !tick.IsCompleted)
            {
                // Runs now; the pending tick stays and comes as planned.
                await Task.Delay(GatherDelay, stoppingToken);
                continue;
            }

            if (!await tick)
            {
                return;
            }

            tick = null;
        }
    }

    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}

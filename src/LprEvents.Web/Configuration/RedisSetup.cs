using System.Threading.RateLimiting;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LprEvents.Web.Configuration;

/// <summary>Section <c>Redis</c>: optional; without <see cref="Configuration"/> every instance keeps its caches and counters to itself.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=…</c>. Empty: no Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key and channel, so that several sites can share one Redis.</summary>
    public string InstanceName { get; set; } = "lprevents:";
}

/// <summary>
/// Several instances behind a load balancer (ADR 0026): with <c>Redis:Configuration</c> set, the output cache, the
/// evictions of the public caches and the rate-limit counters are shared through Redis. Redis is a help, not a
/// dependency: while it is unreachable each instance falls back to its own memory (as without Redis) and logs a
/// warning; nothing answers 500 because of it.
/// </summary>
public static class RedisSetup
{
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[RedisOptions.SectionName + ":Configuration"]);

    /// <summary>Call after <see cref="Caching.AddLprCaching"/>: replaces the output cache store by the shared one.</summary>
    public static WebApplicationBuilder AddLprRedis(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
        if (!IsConfigured(builder.Configuration))
        {
            return builder;
        }

        services.AddSingleton<RedisConnection>();
        services.AddSingleton<ICacheEvictionBroadcast, RedisEvictionBroadcast>();
        services.AddHostedService<RedisEvictionListener>();

        // The in-memory store that AddOutputCache registered stays as the fallback while Redis is unreachable.
        var local = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.AddStackExchangeRedisOutputCache(o =>
        {
            o.InstanceName = builder.Configuration[RedisOptions.SectionName + ":InstanceName"] ?? new RedisOptions().InstanceName;
        });
        services.AddOptions<Microsoft.AspNetCore.OutputCaching.StackExchangeRedis.RedisOutputCacheOptions>()
            .Configure<RedisConnection>((o, redis) => o.ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(redis.Multiplexer));
        var shared = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.RemoveAll(typeof(IOutputCacheStore));
        services.AddSingleton<IOutputCacheStore>(sp => new FallbackOutputCacheStore(
            Create(sp, shared),
            Create(sp, local),
            sp.GetRequiredService<RedisConnection>()));
        return builder;
    }

    /// <summary>
    /// A fixed-window partition of a rate limiter: counted in Redis (shared by all instances) when it is configured
    /// and reachable, otherwise in this instance's memory. <paramref name="policy"/> keeps the policies' counters apart.
    /// </summary>
    public static RateLimitPartition<string> FixedWindow(HttpContext context, string policy, string key, int permits, TimeSpan window)
    {
        var redis = context.RequestServices.GetService<RedisConnection>();
        var local = new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 };
        if (redis is null)
        {
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => local);
        }

        var shared = new RedisRateLimiting.RedisFixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            ConnectionMultiplexerFactory = () => redis.Multiplexer,
        };
        var partition = $"{redis.Prefix}rate:{policy}:{key}";
        return RateLimitPartition.Get(partition, p => new FallbackRateLimiter(
            new RedisRateLimiting.RedisFixedWindowRateLimiter<string>(p, shared),
            new FixedWindowRateLimiter(local),
            redis));
    }

    private static IOutputCacheStore Create(IServiceProvider sp, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as IOutputCacheStore
        ?? (IOutputCacheStore?)descriptor.ImplementationFactory?.Invoke(sp)
        ?? (IOutputCacheStore)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);

    private static void RemoveAll(this IServiceCollection services, Type serviceType)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == serviceType)
            {
                services.RemoveAt(i);
            }
        }
    }
}

/// <summary>
/// The one connection to Redis of this instance. It never blocks a request for long: commands fail at once while
/// the connection is down (no backlog), time out after a second, and the multiplexer reconnects by itself. An
/// outage is logged as one warning when it starts and one line when it ends, plus at most one warning a minute for
/// the operations that fell back.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lazy<ConnectionMultiplexer> _multiplexer;
    private long _lastWarningTicks;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        Prefix = options.Value.InstanceName;
        var configuration = options.Value.Configuration!;
        _multiplexer = new Lazy<ConnectionMultiplexer>(() => Connect(configuration), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Prefix of keys and channels (<c>Redis:InstanceName</c>).</summary>
    public string Prefix { get; }

    /// <summary>Identifies this process on the eviction channel, so that it does not act on its own messages.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    /// <summary>Whether commands can be sent now; a caller that finds it false uses its local fallback.</summary>
    public bool IsConnected => Multiplexer.IsConnected;

    /// <summary>An operation fell back to local memory: one warning a minute at most (no key, no address in it).</summary>
    public void FellBack(string operation, Exception? error)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarningTicks);
        if (last != 0 && now - last < 60_000)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastWarningTicks, now, last) == last)
        {
            _logger.LogWarning(
                "Redis unavailable ({Operation}: {Error}): this instance uses its own memory for the output cache and rate limits until it is back",
                operation,
                error?.GetType().Name ?? "not connected");
        }
    }

    /// <summary>
    /// Runs <paramref name="shared"/> (a Redis operation) while Redis is connected, <paramref name="local"/> (this
    /// instance's memory) when it is not or the operation fails; a failure is logged by <see cref="FellBack"/>.
    /// </summary>
    public async ValueTask<T> SharedOrLocalAsync<T>(string operation, Func<ValueTask<T>> shared, Func<ValueTask<T>> local)
    {
        if (IsConnected)
        {
            try
            {
                return await shared();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                FellBack(operation, ex);
            }
        }

        return await local();
    }

    private ConnectionMultiplexer Connect(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        if (!Mentions(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = 2000;
        }

        if (!Mentions(configuration, "syncTimeout"))
        {
            options.SyncTimeout = 1000;
        }

        if (!Mentions(configuration, "asyncTimeout"))
        {
            options.AsyncTimeout = 1000;
        }

        options.ClientName ??= "lprevents";
        // Back within seconds after a Redis restart (the default backs off exponentially).
        options.ReconnectRetryPolicy = new LinearRetry(2000);
        var multiplexer = ConnectionMultiplexer.Connect(options);
        multiplexer.ConnectionFailed += (_, e) => _logger.LogWarning(
            "Redis connection lost ({FailureType}, {ConnectionType}); falling back to local memory until it is back",
            e.FailureType,
            e.ConnectionType);
        multiplexer.ConnectionRestored += (_, e) => _logger.LogInformation("Redis connection restored ({ConnectionType})", e.ConnectionType);
        if (!multiplexer.IsConnected)
        {
            _logger.LogWarning("Redis is not reachable at start; the output cache and rate limits stay local until it is");
        }

        return multiplexer;
    }

    private static bool Mentions(string configuration, string key) =>
        configuration.Contains(key + "=", StringComparison.OrdinalIgnoreCase);

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}

/// <summary>
/// The shared output cache (Redis) while it answers, this instance's memory otherwise. Evictions go to both, so
/// that a page kept locally during an outage is not served after a change.
/// </summary>
internal sealed class FallbackOutputCacheStore(IOutputCacheStore shared, IOutputCacheStore local, RedisConnection redis) : IOutputCacheStore
{
    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        await local.EvictByTagAsync(tag, cancellationToken);
        await redis.SharedOrLocalAsync("evict", async () =>
        {
            await shared.EvictByTagAsync(tag, cancellationToken);
            return true;
        }, () => ValueTask.FromResult(true));
    }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        redis.SharedOrLocalAsync("read", () => shared.GetAsync(key, cancellationToken), () => local.GetAsync(key, cancellationToken));

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken) =>
        await redis.SharedOrLocalAsync(
            "write",
            async () =>
            {
                await shared.SetAsync(key, value, tags, validFor, cancellationToken);
                return true;
            },
            async () =>
            {
                await local.SetAsync(key, value, tags, validFor, cancellationToken);
                return true;
            });
}

/// <summary>A limiter counted in Redis while it answers, in this instance's memory otherwise.</summary>
internal sealed class FallbackRateLimiter(RateLimiter shared, RateLimiter local, RedisConnection redis) : RateLimiter
{
    private static readonly RateLimitLease NotYet = new NoLease();

    public override TimeSpan? IdleDuration => local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    // The middleware tries this first and waits for AcquireAsync when it fails; Redis is only asked asynchronously.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        redis.IsConnected ? NotYet : local.AttemptAcquire(permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        redis.SharedOrLocalAsync("rate limit", () => shared.AcquireAsync(permitCount, cancellationToken), () => local.AcquireAsync(permitCount, cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            local.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class NoLease : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>Tells the other instances that content changed, so that they drop their cached list counts too.</summary>
internal sealed class RedisEvictionBroadcast(RedisConnection redis) : ICacheEvictionBroadcast
{
    public async ValueTask ContentChangedAsync(CancellationToken ct) =>
        await redis.SharedOrLocalAsync(
            "broadcast",
            async () =>
            {
                await redis.Multiplexer.GetSubscriber().PublishAsync(RedisEvictionListener.Channel(redis), redis.InstanceId);
                return true;
            },
            () => ValueTask.FromResult(false));
}

/// <summary>
/// Hears the other instances' content changes: drops this instance's cached list counts and evicts the shared
/// "content" pages once more, in case this instance re-cached a page with an old count in the moment between.
/// </summary>
internal sealed class RedisEvictionListener(RedisConnection redis, PublicCache cache, ILogger<RedisEvictionListener> logger) : BackgroundService
{
    public static RedisChannel Channel(RedisConnection redis) => RedisChannel.Literal(redis.Prefix + "evict:content");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once subscribed, the multiplexer restores the subscription after a reconnect by itself; until the first
        // success (Redis down at start) it is tried again every few seconds.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.Multiplexer.GetSubscriber().SubscribeAsync(Channel(redis), (channel, sender) =>
                {
                    if (sender != redis.InstanceId)
                    {
                        _ = DropAsync();
                    }
                });
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                redis.FellBack("subscribe", ex);
            }

            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
        }
    }

    private async Task DropAsync()
    {
        try
        {
            await cache.DropContentAsync(broadcast: false, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Dropping the cached pages after another instance's change failed");
        }
    }
}

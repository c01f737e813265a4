using LprEvents.Web.Configuration;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace LprEvents.Web.Services;

/// <summary>
/// The one door to everything the public site caches (ADR 0023): the output cache's "content" and "seats" tags and
/// the list pages' counts and year lists. <see cref="PublicCacheEviction"/> calls it after every committed write
/// that readers see; a second instance (issue 10) will hear about evictions through here as well.
/// </summary>
public sealed class PublicCache(IOutputCacheStore store, ICacheEvictionBroadcast others, IOptions<CachingOptions> options, ILogger<PublicCache> logger) : IDisposable
{
    // Counts and year lists: a few dozen small values (regions × years), bounded anyway.
    private readonly MemoryCache _lists = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private CancellationTokenSource _content = new();

    /// <summary>How long anything here lives at most.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(options.Value.PublicPageSeconds);

    /// <summary>
    /// The number of the cache window <paramref name="now"/> falls in (by the app's clock). Part of every key, so a
    /// page whose content depends on the time (a scheduled article, registration opening) is at most one window old.
    /// </summary>
    public long WindowOf(DateTimeOffset now) => now.UtcTicks / Window.Ticks;

    /// <summary>A value of a list page (a count, the years) from the cache, or computed and kept until the next content change.</summary>
    public async Task<T> ListValueAsync<T>(string key, DateTime nowUtc, Func<Task<T>> compute)
    {
        var fullKey = (key, WindowOf(new DateTimeOffset(nowUtc, TimeSpan.Zero)));
        if (_lists.TryGetValue(fullKey, out T? cached))
        {
            return cached!;
        }

        // Taken before the query: a change committed while it runs makes this entry stale at birth, so it is dropped.
        var token = Volatile.Read(ref _content).Token;
        var value = await compute();
        using (var entry = _lists.CreateEntry(fullKey))
        {
            entry.Value = value;
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = Window;
            entry.AddExpirationToken(new CancellationChangeToken(token));
        }

        return value;
    }

    /// <summary>An article, event, session, region or medium that readers see changed: every public page goes.</summary>
    public ValueTask EvictContentAsync(CancellationToken ct = default) => DropContentAsync(broadcast: true, ct);

    /// <summary>
    /// Drops the list values and the "content" pages; with <paramref name="broadcast"/> the other instances are told
    /// (with Redis, ADR 0026) so that they drop their own list values, which live in each instance's memory.
    /// </summary>
    internal async ValueTask DropContentAsync(bool broadcast, CancellationToken ct)
    {
        var previous = Interlocked.Exchange(ref _content, new CancellationTokenSource());
        await previous.CancelAsync();
        if (broadcast)
        {
            await others.ContentChangedAsync(ct);
        }

        await store.EvictByTagAsync(Caching.ContentTag, ct);
        logger.LogDebug("Public pages evicted (content changed)");
    }

    /// <summary>Seats of an event were taken or freed: every page that shows places left goes.</summary>
    public async ValueTask EvictSeatsAsync(CancellationToken ct = default)
    {
        await store.EvictByTagAsync(Caching.SeatsTag, ct);
        logger.LogDebug("Public pages with places left evicted (seats changed)");
    }

    public void Dispose()
    {
        _lists.Dispose();
        _content.Dispose();
    }
}

/// <summary>Tells the other instances that content changed (through Redis when configured; nothing without it).</summary>
public interface ICacheEvictionBroadcast
{
    ValueTask ContentChangedAsync(CancellationToken ct);
}

/// <summary>One instance: nobody else to tell.</summary>
public sealed class NoEvictionBroadcast : ICacheEvictionBroadcast
{
    public ValueTask ContentChangedAsync(CancellationToken ct) => ValueTask.CompletedTask;
}

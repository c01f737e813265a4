using LprEvents.Web.Services;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace LprEvents.Web.Configuration;

public sealed class CachingOptions
{
    public const string SectionName = "Caching";

    /// <summary>
    /// How long a public page is served from the output cache at most. Writes evict at once; only what changes
    /// without a write (a scheduled article's publish time passing, registration opening or closing) waits for it.
    /// </summary>
    public int PublicPageSeconds { get; set; } = 60;
}

/// <summary>
/// Output caching of public pages (ADR 0023): opt-in per action with one of the named policies below. Never for
/// pages with a form token, private pages, the admin area, or requests that carry the admin sign-in cookie.
/// </summary>
public static class Caching
{
    /// <summary>A public page without query parameters that shows articles, events or places left.</summary>
    public const string PublicPage = "public-page";

    /// <summary><c>/aktuelles</c>: varies by region, year and page.</summary>
    public const string NewsList = "news-list";

    /// <summary><c>/veranstaltungen</c>: varies by the region and the page of past events.</summary>
    public const string EventList = "event-list";

    /// <summary><c>/suche</c>: varies by the words, type, region and page.</summary>
    public const string Search = "search";

    /// <summary>Every page built from articles, events, sessions, regions or media.</summary>
    public const string ContentTag = "content";

    /// <summary>Every page that shows places left or a registration state.</summary>
    public const string SeatsTag = "seats";

    public static WebApplicationBuilder AddLprCaching(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CachingOptions>().BindConfiguration(CachingOptions.SectionName)
            .Validate(o => o.PublicPageSeconds is >= 1 and <= 3600, "Caching:PublicPageSeconds must be between 1 and 3600.")
            .ValidateOnStart();
        services.AddOutputCache(o =>
        {
            o.AddPolicy(PublicPage, new PublicPagePolicy([], [ContentTag, SeatsTag]));
            o.AddPolicy(NewsList, new PublicPagePolicy(["region", "jahr", "seite"], [ContentTag]));
            o.AddPolicy(EventList, new PublicPagePolicy(["region", "seite"], [ContentTag, SeatsTag]));
            o.AddPolicy(Search, new PublicPagePolicy(["q", "typ", "region", "seite"], [ContentTag]));
        });
        services.AddSingleton<PublicCache>();
        services.TryAddSingleton<ICacheEvictionBroadcast, NoEvictionBroadcast>();
        services.AddSingleton<PublicCacheEviction>();
        return builder;
    }

    /// <summary>
    /// Anonymous GET and HEAD only; varied by the given query keys (others are ignored, so made-up parameters
    /// neither miss the cache nor fill it), by the compression the client accepts (the cache holds compressed
    /// bytes) and by the window of the app's clock, so that time-dependent content is at most one window old.
    /// </summary>
    private sealed class PublicPagePolicy(string[] queryKeys, string[] tags) : IOutputCachePolicy
    {
        private readonly StringValues _queryKeys = new(queryKeys);

        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var http = context.HttpContext;
            var request = http.Request;
            var cacheable = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && !request.Headers.ContainsKey(HeaderNames.Authorization)
                && !request.Cookies.ContainsKey(IdentitySetup.CookieName)
                && http.User.Identity?.IsAuthenticated != true;
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = cacheable;
            context.AllowCacheStorage = cacheable;
            context.AllowLocking = true;
            if (!cacheable)
            {
                return ValueTask.CompletedTask;
            }

            var cache = http.RequestServices.GetRequiredService<PublicCache>();
            var window = cache.Window;
            context.ResponseExpirationTimeSpan = window;
            context.CacheVaryByRules.QueryKeys = _queryKeys;
            context.CacheVaryByRules.VaryByValues["window"] = cache.WindowOf(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.CacheVaryByRules.VaryByValues["encoding"] = Compression.EncodingFor(request);
            foreach (var tag in tags)
            {
                context.Tags.Add(tag);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            LprMetrics.CacheLookup(hit: true);
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            if (context.AllowCacheLookup)
            {
                LprMetrics.CacheLookup(hit: false);
            }

            var response = context.HttpContext.Response;
            // A page that sets a cookie or that says no-store (antiforgery does, whenever it puts a token into a
            // form) is one visitor's page: never stored, whatever its action asked for.
            if (response.StatusCode != StatusCodes.Status200OK
                || !StringValues.IsNullOrEmpty(response.Headers.SetCookie)
                || response.Headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase))
            {
                context.AllowCacheStorage = false;
            }

            return ValueTask.CompletedTask;
        }
    }
}

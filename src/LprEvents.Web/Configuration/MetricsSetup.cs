using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;

namespace LprEvents.Web.Configuration;

/// <summary>Section <c>Metrics</c>: who may read <c>/metrics</c> (docs/operations.md, ADR 0027).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Off removes <c>/metrics</c> and the OpenTelemetry meters altogether.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>CIDR ranges whose direct connections may read <c>/metrics</c>; empty means loopback only.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>The configured networks, or loopback (an array default would be merged with the configured items).</summary>
    public IReadOnlyList<string> EffectiveNetworks => AllowedNetworks.Length == 0 ? ["127.0.0.0/8", "::1/128"] : AllowedNetworks;

    /// <summary>Optional: a scraper that sends <c>Authorization: Bearer &lt;token&gt;</c> may read it from anywhere.</summary>
    public string Token { get; set; } = "";
}

/// <summary>
/// The application's own series on the meter <c>LprEvents</c> (Prometheus names in brackets): registrations
/// (<c>lpr_registrations_total{outcome}</c>), confirmations (<c>lpr_confirmations_total{outcome}</c>), output cache
/// lookups (<c>lpr_output_cache_lookups_total{result=hit|miss}</c>), background job runs
/// (<c>lpr_job_runs_total{job,outcome}</c>) and requests answered 503 because the database was unavailable
/// (<c>lpr_database_unavailable_total</c>). Static, so that any class can count without a new constructor argument.
/// </summary>
public static class LprMetrics
{
    public const string MeterName = "LprEvents";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Registrations = Meter.CreateCounter<long>("lpr.registrations", description: "Registration forms stored, by outcome");

    private static readonly Counter<long> Confirmations = Meter.CreateCounter<long>("lpr.confirmations", description: "E-mail confirmations, by outcome");

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("lpr.output_cache.lookups", description: "Cacheable public page requests, by result (hit or miss)");

    private static readonly Counter<long> JobRuns = Meter.CreateCounter<long>("lpr.job.runs", description: "Background job runs, by job and outcome");

    private static readonly Counter<long> Unavailable = Meter.CreateCounter<long>("lpr.database.unavailable", description: "Requests answered 503 because the database was locked or unreachable");

    public static void Registration(string outcome) => Registrations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void Confirmation(string outcome) => Confirmations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void CacheLookup(bool hit) => CacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public static void JobRun(string job, bool succeeded) =>
        JobRuns.Add(1, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));

    public static void DatabaseUnavailable() => Unavailable.Add(1);
}

/// <summary>
/// Outbox backlog gauges (<c>lpr_outbox_waiting</c>, <c>lpr_outbox_failed</c>, <c>lpr_outbox_oldest_waiting_seconds</c>):
/// a scrape reads the last counts; a count older than <see cref="MaxAge"/> is refreshed in the background, so a scrape
/// never waits for the database and the database is asked at most every 15 s per instance.
/// </summary>
public sealed class OutboxBacklogGauges : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxBacklogGauges> _logger;
    private readonly Meter _meter;
    private readonly object _gate = new();
    private readonly CancellationToken _stopping;
    private (long Waiting, long Failed, double OldestSeconds)? _counts;
    private long? _refreshedAt;
    private Task? _refreshing;
    private bool _disposed;

    public OutboxBacklogGauges(
        IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<OutboxBacklogGauges> logger)
    {
        _scopes = scopes;
        _stopping = lifetime.ApplicationStopping;
        _time = time;
        _logger = logger;
        _meter = meters.Create(LprMetrics.MeterName + ".Outbox");
        _meter.CreateObservableGauge("lpr.outbox.waiting", () => Read(c => c.Waiting), description: "E-mails waiting to be sent (at most 15 s old)");
        _meter.CreateObservableGauge("lpr.outbox.failed", () => Read(c => c.Failed), description: "E-mails given up on (at most 15 s old)");
        _meter.CreateObservableGauge("lpr.outbox.oldest_waiting_seconds", () => Read(c => c.OldestSeconds), description: "Age of the oldest waiting e-mail in seconds (at most 15 s old)");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _meter.Dispose();
    }

    private IEnumerable<Measurement<T>> Read<T>(Func<(long Waiting, long Failed, double OldestSeconds), T> pick)
        where T : struct
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return [];
            }

            // A stopping host is still asked when its meter provider flushes: the last counts then, no new query.
            if (!_stopping.IsCancellationRequested && _refreshing is null or { IsCompleted: true } && (_refreshedAt is not { } at || Environment.TickCount64 - at > MaxAge.TotalMilliseconds))
            {
                _refreshedAt = Environment.TickCount64;
                _refreshing = Task.Run(RefreshAsync);
            }

            return _counts is { } counts ? [new Measurement<T>(pick(counts))] : [];
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();
            var rows = await db.OutboxMessages.AsNoTracking()
                .Where(m => m.Status != OutboxStatus.Sent)
                .GroupBy(m => m.Status)
                .Select(g => new { Status = g.Key, Count = g.LongCount(), Oldest = g.Min(m => m.CreatedAtUtc) })
                .ToListAsync();
            var waiting = rows.FirstOrDefault(r => r.Status == OutboxStatus.Pending);
            var oldest = waiting is null ? 0 : Math.Max(0, (_time.GetUtcNow().UtcDateTime - waiting.Oldest).TotalSeconds);
            var counts = (waiting?.Count ?? 0, rows.FirstOrDefault(r => r.Status == OutboxStatus.Failed)?.Count ?? 0, oldest);
            lock (_gate)
            {
                _counts = counts;
            }
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // The host stopped while the count ran (its services disposed, its database perhaps gone): nothing to report.
        }
        catch (Exception ex)
        {
            // The database may be away; the gauges keep their last values, or stay absent.
            _logger.LogWarning("Outbox backlog for /metrics not read: {Error}", ex.GetType().Name);
        }
    }
}

public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static WebApplicationBuilder AddLprMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName)
            .Validate(o => o.AllowedNetworks.All(n => IPNetwork.TryParse(n, out _)), "Metrics:AllowedNetworks must be CIDR ranges such as 10.0.0.0/24.")
            .ValidateOnStart();
        if (builder.Configuration.GetValue(MetricsOptions.SectionName + ":Enabled", true))
        {
            builder.Services.AddSingleton<OutboxBacklogGauges>();
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(LprMetrics.MeterName, LprMetrics.MeterName + ".Outbox")
                .AddPrometheusExporter());
        }

        return builder;
    }

    /// <summary>
    /// Before everything but the forwarded headers: <c>/metrics</c> for a direct connection from an allowed network,
    /// or with the token; everyone else gets the site's 404, as if there were nothing.
    /// </summary>
    public static WebApplication UseLprMetricsAccess(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value;
        var networks = options.EffectiveNetworks.Select(n => IPNetwork.Parse(n)).ToList();
        var token = Encoding.UTF8.GetBytes(options.Token);
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase)
                && !(options.Enabled && MayRead(context, networks, token)))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next(context);
        });
        return app;
    }

    public static WebApplication MapLprMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.Enabled)
        {
            // Created with the first scrape otherwise; the gauges must exist before it.
            app.Services.GetRequiredService<OutboxBacklogGauges>();
            app.MapPrometheusScrapingEndpoint(Path);
        }

        return app;
    }

    /// <summary>
    /// By network only for a direct connection: a request that came through the reverse proxy (it carries
    /// X-Forwarded-For, whether believed or forged) needs the token, so that the proxy's own loopback address opens
    /// nothing for the internet.
    /// </summary>
    internal static bool MayRead(HttpContext context, IReadOnlyList<IPNetwork> networks, byte[] token)
    {
        if (token.Length > 0
            && context.Request.Headers.Authorization.ToString() is { } header
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), token))
        {
            return true;
        }

        var proxied = context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Request.Headers.ContainsKey("X-Original-For");
        return !proxied
            && context.Connection.RemoteIpAddress is { } address
            && networks.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
    }
}

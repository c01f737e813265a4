using System.Net;
using System.Net.Http.Headers;
using LprEvents.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LprEvents.Tests.Configuration;

/// <summary>
/// OpenTelemetry listens to meters by name across the process: instruments of other test hosts running at the same
/// time ("Microsoft.AspNetCore.Hosting" of every WebApplicationFactory) would mix into this host's scrape. These tests
/// run alone, after the others.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class MetricsAlone;

/// <summary><c>/metrics</c>: Prometheus text for the operator's scraper, and nothing (404) for anyone else.</summary>
[Collection(typeof(MetricsAlone))]
public sealed class MetricsTests
{
    [Fact]
    public async Task AfterSomeTraffic_TheScrapeShowsRequestsPerRoute_Registrations_CacheHits_JobsAndTheOutboxBacklog()
    {
        using var factory = new LprWebFactory { BeforePipeline = From("127.0.0.1") };
        var driver = new RegistrationDriver(factory);
        var e = await driver.AddEventAsync("test-metriken", capacity: 10, waitingList: false);
        Assert.Equal(HttpStatusCode.OK, (await driver.Client.GetAsync(new Uri("/veranstaltungen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await driver.Client.GetAsync(new Uri("/veranstaltungen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        await driver.RegisterAndConfirmAsync(e.Slug, "metriken@example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("wartend@example.org"))).StatusCode);
        await driver.RunMaintenanceAsync();
        var client = factory.CreateClient();

        var first = await ScrapeAsync(client);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        var metrics = await ScrapeAsync(client);
        TestContext.Current.TestOutputHelper?.WriteLine(metrics);

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", first, StringComparison.Ordinal);
        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_route=\"veranstaltungen/\\{slug\\}/anmeldung\"[^}]*\\} [1-9]", metrics);
        Assert.Matches("http_server_request_duration_seconds_bucket\\{[^}]*http_route=\"anmeldung/\\{token\\}/bestaetigen\"", metrics);
        Assert.DoesNotContain("metriken@example.org", metrics, StringComparison.Ordinal);
        Assert.Matches("lpr_registrations_total\\{[^}]*outcome=\"created\"[^}]*\\} [2-9]", metrics);
        Assert.Matches("lpr_confirmations_total\\{[^}]*outcome=\"confirmed\"[^}]*\\} [1-9]", metrics);
        Assert.Matches("lpr_output_cache_lookups_total\\{[^}]*result=\"hit\"[^}]*\\} [1-9]", metrics);
        Assert.Matches("lpr_output_cache_lookups_total\\{[^}]*result=\"miss\"[^}]*\\} [1-9]", metrics);
        Assert.Matches("lpr_job_runs_total\\{[^}]*job=\"RegistrationMaintenance\"[^}]*outcome=\"success\"[^}]*\\} [1-9]", metrics);
        // The confirmation request e-mail of the second registration waits in the outbox.
        Assert.Matches("lpr_outbox_waiting(\\{[^}]*\\})? 1\\b", metrics);
        Assert.Matches("lpr_outbox_failed(\\{[^}]*\\})? 0\\b", metrics);
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes_total", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.7", null, null, null)]
    [InlineData("203.0.113.7", "127.0.0.1", null, null)]
    [InlineData("10.20.30.40", "127.0.0.1", null, "10.20.30.40")]
    [InlineData("10.20.30.40", "198.51.100.1, 127.0.0.1", null, "10.20.30.40")]
    [InlineData("127.0.0.1", "127.0.0.1", null, null)]
    [InlineData("203.0.113.7", null, "falsches-token", null)]
    public async Task FromElsewhere_ThroughTheProxy_OrWithAWrongToken_MetricsAre404(string connection, string? forwardedFor, string? token, string? proxy)
    {
        using var factory = new LprWebFactory { BeforePipeline = From(connection) };
        factory.ExtraSettings["Metrics:Token"] = "richtiges-token-0123456789";
        if (proxy is not null)
        {
            factory.ExtraSettings["ReverseProxy:KnownProxies:0"] = proxy;
        }

        var response = await GetMetricsAsync(factory.CreateClient(), forwardedFor, token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("http_server", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", null, null)]
    [InlineData("::1", null, null)]
    [InlineData("203.0.113.7", null, "richtiges-token-0123456789")]
    [InlineData("203.0.113.7", "192.0.2.0/24,203.0.113.0/24", null)]
    public async Task FromAnAllowedNetworkOrWithTheToken_MetricsAreServed(string connection, string? networks, string? token)
    {
        using var factory = new LprWebFactory { BeforePipeline = From(connection) };
        factory.ExtraSettings["Metrics:Token"] = "richtiges-token-0123456789";
        foreach (var (network, i) in (networks?.Split(',') ?? []).Select((n, i) => (n, i)))
        {
            factory.ExtraSettings[$"Metrics:AllowedNetworks:{i}"] = network;
        }

        var response = await GetMetricsAsync(factory.CreateClient(), null, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await GetMetricsAsync(client, null, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<HttpResponseMessage> GetMetricsAsync(HttpClient client, string? forwardedFor, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The test server gives requests no client address; this sets one, as Kestrel would from the connection.</summary>
    private static Action<IApplicationBuilder> From(string address) => app => app.Use((context, next) =>
    {
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return next(context);
    });
}

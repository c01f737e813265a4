using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LprEvents.Tests.Configuration;

/// <summary>
/// Rate limits count per client address, and a client cannot choose its address with X-Forwarded-For: only
/// proxies configured in ReverseProxy:KnownProxies or ReverseProxy:KnownNetworks are believed.
/// </summary>
public sealed class ClientAddressTests
{
    private const int Permits = 2;

    [Theory]
    [InlineData(null)]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("203.0.113.7")]
    public async Task WithoutConfiguredProxy_RotatingForwardedForHeaders_DoNotEscapeTheRateLimit(string? connectionAddress)
    {
        using var factory = new LprWebFactory { RateLimitPermits = Permits, BeforePipeline = From(connectionAddress) };
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var slug = await SlugAsync(factory);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= Permits; i++)
        {
            statuses.Add(await PostRegistrationAsync(client, slug, $"198.51.100.{i + 1}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..^1]);
    }

    [Theory]
    [InlineData("ReverseProxy:KnownProxies:0", "10.20.30.40")]
    [InlineData("ReverseProxy:KnownNetworks:0", "10.20.0.0/16")]
    public async Task BehindAConfiguredProxy_EachForwardedClientHasItsOwnLimit(string key, string value)
    {
        using var factory = new LprWebFactory { RateLimitPermits = Permits, BeforePipeline = From("10.20.30.40") };
        factory.ExtraSettings[key] = value;
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var slug = await SlugAsync(factory);

        for (var i = 0; i < Permits; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostRegistrationAsync(client, slug, "198.51.100.1"));
        }

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostRegistrationAsync(client, slug, "198.51.100.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostRegistrationAsync(client, slug, "198.51.100.1"));
        // A client that puts its own guess before the proxy's entry is still counted by the entry the proxy added.
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostRegistrationAsync(client, slug, "192.0.2.99, 198.51.100.1"));
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:198.51.100.1", "198.51.100.1", true)]
    [InlineData("198.51.100.1", "198.51.100.2", false)]
    public void PartitionKey_GroupsIpv6ClientsByTheirSlash64(string first, string second, bool samePartition)
    {
        static string Key(string address) =>
            RateLimitKeys.Client(new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(address) } });

        Assert.Equal(samePartition, Key(first) == Key(second));
    }

    /// <summary>The test server gives requests no client address; this sets one, as Kestrel would from the connection.</summary>
    private static Action<IApplicationBuilder>? From(string? address) =>
        address is null
            ? null
            : app => app.Use((context, next) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(address);
                return next(context);
            });

    private static async Task<string> SlugAsync(LprWebFactory factory)
    {
        await using var scope = factory.CreateDbScope();
        return RegistrationDriver.EventSlugOf(scope.Db, "Vernetzungstreffen Dresden");
    }

    /// <summary>An empty registration post: the rate limiter counts it before anything else looks at it.</summary>
    private static async Task<HttpStatusCode> PostRegistrationAsync(HttpClient client, string slug, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/veranstaltungen/{slug}/anmeldung", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([]),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}

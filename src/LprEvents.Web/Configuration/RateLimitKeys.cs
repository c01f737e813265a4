using System.Net;
using System.Net.Sockets;
using System.Security.Claims;

namespace LprEvents.Web.Configuration;

/// <summary>
/// The partition keys of every rate limiter, in one place. The client address is the connection's address
/// after <c>UseForwardedHeaders</c>, which only believes proxies listed in <c>ReverseProxy:KnownProxies</c>
/// or <c>ReverseProxy:KnownNetworks</c>: a client cannot pick its own partition with X-Forwarded-For.
/// </summary>
public static class RateLimitKeys
{
    /// <summary>The client's address; IPv6 clients by their /64 network, since one household or server owns a whole /64.</summary>
    public static string Client(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>The signed-in account, so that changing clients does not buy more attempts; the client for anonymous requests.</summary>
    public static string Account(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } userId ? "user:" + userId : "client:" + Client(context);
}

using LprEvents.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services;

/// <summary>
/// The one place absolute links come from (e-mails, calendar files, canonical, OpenGraph, JSON-LD, feeds):
/// <c>Site:PublicBaseUrl</c>, never the request's Host header, which any client can forge.
/// </summary>
public sealed class PublicUrls(IOptions<SiteOptions> options, IHostEnvironment environment)
{
    /// <summary>What <c>dotnet run</c> serves in Development when no base URL is configured.</summary>
    public const string DevelopmentBaseUrl = "http://localhost:5080";

    public string BaseUrl { get; } = SiteOptions.Normalise(options.Value.PublicBaseUrl) is { Length: > 0 } configured
        ? configured
        : environment.IsDevelopment() ? DevelopmentBaseUrl : throw new InvalidOperationException("Site:PublicBaseUrl is required outside Development.");

    /// <summary>An absolute URL for a path of this site ("/veranstaltungen/x" → "https://host/veranstaltungen/x").</summary>
    public string Absolute(string path) => BaseUrl + (path.StartsWith('/') ? path : "/" + path);

    /// <summary>
    /// The same address with the <c>webcal:</c> scheme ("https://host/kalender.ics" → "webcal://host/kalender.ics"): a click
    /// opens the calendar program, which subscribes and fetches it again over https (http in Development) from then on.
    /// </summary>
    public string Webcal(string path)
    {
        var absolute = Absolute(path);
        return "webcal" + absolute[absolute.IndexOf("://", StringComparison.Ordinal)..];
    }

    public string PrivateLink(string token) => Absolute($"/anmeldung/{token}");

    public string Event(string slug) => Absolute($"/veranstaltungen/{slug}");

    public string Article(string slug) => Absolute($"/aktuelles/{slug}");

    /// <summary>The management page of an e-mail alert subscription (confirm, change regions, unsubscribe).</summary>
    public string AlertManage(string token) => Absolute($"/benachrichtigungen/verwalten/{token}");

    /// <summary>The one-click unsubscribe address of an alert (RFC 8058: POST unsubscribes, GET asks first).</summary>
    public string AlertUnsubscribe(string token) => Absolute($"/benachrichtigungen/abmelden/{token}");

    public string SetPassword(string email, string token) =>
        Absolute($"/admin/passwort-setzen?email={Uri.EscapeDataString(email)}&token={Uri.EscapeDataString(token)}");
}

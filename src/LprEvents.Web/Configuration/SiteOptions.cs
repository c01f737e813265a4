namespace LprEvents.Web.Configuration;

/// <summary>Section <c>Site</c>: facts about the site itself used in links, meta tags and legal pages.</summary>
public sealed class SiteOptions
{
    public const string SectionName = "Site";

    /// <summary>
    /// The public address, e.g. <c>https://veranstaltungen.lpr.sachsen.de</c>: every absolute link is built
    /// from it (<see cref="Services.PublicUrls"/>). Required outside Development, and https there.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    public string Name { get; set; } = "Veranstaltungen des Landespräventionsrates Sachsen";

    public static string Normalise(string? url) => (url ?? "").Trim().TrimEnd('/');

    /// <summary>Why <paramref name="url"/> cannot be the public base URL, in one sentence for the operator; null when it can.</summary>
    public static string? Problem(string? url, bool isDevelopment)
    {
        var value = Normalise(url);
        if (value.Length == 0)
        {
            return isDevelopment ? null : "Site:PublicBaseUrl is not set; outside Development it is required (for example https://veranstaltungen.lpr.sachsen.de).";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"Site:PublicBaseUrl '{value}' is not an absolute http(s) URL.";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || !string.IsNullOrEmpty(uri.UserInfo) || uri.AbsolutePath != "/")
        {
            return $"Site:PublicBaseUrl '{value}' must be scheme and host only, without path, query or user (for example https://veranstaltungen.lpr.sachsen.de).";
        }

        return !isDevelopment && uri.Scheme != Uri.UriSchemeHttps
            ? $"Site:PublicBaseUrl '{value}' must use https outside Development."
            : null;
    }
}

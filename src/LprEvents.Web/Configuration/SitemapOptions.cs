using LprEvents.Web.Services.Feeds;

namespace LprEvents.Web.Configuration;

/// <summary>Section <c>Sitemap</c>.</summary>
public sealed class SitemapOptions
{
    public const string SectionName = "Sitemap";

    /// <summary>
    /// Addresses per sitemap file; above it <c>/sitemap.xml</c> becomes an index of <c>/sitemap-{n}.xml</c>. The protocol's
    /// limit (50 000) is the default and the maximum; tests lower it to see the index without inserting 50 000 rows.
    /// </summary>
    public int UrlsPerFile { get; set; } = SitemapWriter.MaxUrlsPerFile;
}

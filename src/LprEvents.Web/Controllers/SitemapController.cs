using LprEvents.Web.Configuration;
using LprEvents.Web.Services.Feeds;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace LprEvents.Web.Controllers;

/// <summary>The sitemap for search engines, and robots.txt pointing to it: both with absolute addresses from <see cref="PublicUrls"/>.</summary>
[OutputCache(PolicyName = Caching.PublicPage)]
public sealed class SitemapController(SitemapWriter sitemap, PublicUrls urls, TimeProvider time) : Controller
{
    [HttpGet("sitemap.xml")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var plan = await sitemap.PlanAsync(now, ct);
        return plan.FileCount == 1
            ? new XmlStreamResult(SitemapWriter.ContentType, (writer, token) => sitemap.WriteUrlsAsync(writer, plan, 1, now, token))
            : new XmlStreamResult(SitemapWriter.ContentType, (writer, _) => sitemap.WriteIndexAsync(writer, plan));
    }

    /// <summary>One file of a sitemap with more addresses than one file may hold; there are none while one is enough.</summary>
    [HttpGet("sitemap-{number:int}.xml")]
    public async Task<IActionResult> Part(int number, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var plan = await sitemap.PlanAsync(now, ct);
        return plan.FileCount == 1 || number < 1 || number > plan.FileCount
            ? NotFound()
            : new XmlStreamResult(SitemapWriter.ContentType, (writer, token) => sitemap.WriteUrlsAsync(writer, plan, number, now, token));
    }

    /// <summary>
    /// Generated rather than a static file, so that the sitemap's address is the configured public one. The admin area,
    /// participants' private pages and preview links are nobody's search result.
    /// </summary>
    [HttpGet("robots.txt")]
    public ContentResult Robots() => Content(
        $"""
        User-agent: *
        Disallow: /admin/
        Disallow: /anmeldung/
        Disallow: /vorschau/

        Sitemap: {urls.Absolute(FeedPaths.Sitemap)}

        """,
        "text/plain; charset=utf-8");
}

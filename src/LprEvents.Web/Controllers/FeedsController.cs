using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Feeds;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

/// <summary>Atom feeds of the newest articles: the whole site, and one per region.</summary>
[OutputCache(PolicyName = Caching.PublicPage)]
public sealed class FeedsController(LprEventsDbContext db, AtomFeeds feeds, TimeProvider time) : Controller
{
    [HttpGet("feed.xml")]
    public async Task<IActionResult> Site(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var articles = await Latest(db.Articles.AsNoTracking().VisibleAt(now)).ToListAsync(ct);
        return File(feeds.Write(AtomFeeds.Site(), articles, now), AtomFeeds.ContentType);
    }

    [HttpGet("regionen/{slug}/feed.xml")]
    public async Task<IActionResult> Region(string slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var name = await db.Regions.AsNoTracking().Where(r => r.Slug == slug).Select(r => r.Name).FirstOrDefaultAsync(ct);
        if (name is null)
        {
            return NotFound();
        }

        var articles = await Latest(RegionArticles(db, now, slug)).ToListAsync(ct);
        return File(feeds.Write(AtomFeeds.Region(name, slug), articles, now), AtomFeeds.ContentType);
    }

    internal static IQueryable<Article> RegionArticles(LprEventsDbContext db, DateTime now, string slug) =>
        db.Articles.AsNoTracking().VisibleAt(now).Where(a => a.Regions.Any(r => r.Slug == slug));

    /// <summary>The newest <see cref="AtomFeeds.Size"/> by the list pages' own order: never more rows than the feed shows.</summary>
    internal static IQueryable<FeedArticle> Latest(IQueryable<Article> visible) =>
        visible
            .NewestFirst()
            .Take(AtomFeeds.Size)
            .Select(a => new FeedArticle(
                a.Id,
                a.Title,
                a.Slug,
                a.Teaser,
                a.Body,
                a.Date,
                a.PublishedAtUtc,
                a.UpdatedAtUtc,
                a.AuthorUser != null && a.AuthorUser.PublicName != "" ? a.AuthorUser.PublicName : null,
                a.LeadImage,
                a.Regions.OrderBy(r => r.SortOrder).Select(r => new RegionLink(r.Name, r.Slug)).ToList()))
            .AsSplitQuery();
}

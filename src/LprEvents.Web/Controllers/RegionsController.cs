using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Home;
using LprEvents.Web.ViewModels.Regions;
using LprEvents.Web.ViewModels.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

[Route("regionen")]
[OutputCache(PolicyName = Caching.PublicPage)]
public sealed class RegionsController(LprEventsDbContext db, TimeProvider time) : Controller
{
    public const int ArticlesShown = 10;

    /// <summary>The next events a region page shows; the rest are one link away (<c>/veranstaltungen?region=</c>).</summary>
    public const int EventsShown = 10;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return View(new RegionListViewModel(await SummariesAsync(db, now, ct)));
    }

    [HttpGet("{slug}")]
    public async Task<IActionResult> Detail(string slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var region = await db.Regions.AsNoTracking().Where(r => r.Slug == slug).FirstOrDefaultAsync(ct);
        if (region is null)
        {
            return NotFound();
        }

        // One more than shown: tells whether the page links to the region's full list.
        var events = (await RegionEvents(db, now, slug).ToListAsync(ct)).ConvertAll(r => r.ToCard(now));
        var articles = await RegionArticles(db, now, slug).ToListAsync(ct);
        return View(new RegionViewModel(region.Name, region.Slug, region.Description, events.Take(EventsShown).ToList(), articles, events.Count > EventsShown));
    }

    /// <summary>Every region with the number of its upcoming published events, by name.</summary>
    internal static async Task<List<RegionSummary>> SummariesAsync(LprEventsDbContext db, DateTime now, CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new { r.Id, r.Name, r.Slug, r.Description }).ToListAsync(ct);
        var counts = await UpcomingCounts(db, now).ToDictionaryAsync(c => c.RegionId, c => c.Count, ct);
        return regions.ConvertAll(r => new RegionSummary(r.Name, r.Slug, r.Description, counts.GetValueOrDefault(r.Id)));
    }

    /// <summary>
    /// Upcoming published events per region, counted from the upcoming events (IX_Events_Status_EndsAtUtc) rather
    /// than from each region's whole history: the cost follows what is announced, not the archive.
    /// </summary>
    internal static IQueryable<RegionEventCount> UpcomingCounts(LprEventsDbContext db, DateTime now) =>
        db.Events.AsNoTracking()
            .Where(e => e.Status == EventStatus.Published)
            .Upcoming(now)
            .SelectMany(e => e.Regions)
            .GroupBy(r => r.Id)
            .Select(g => new RegionEventCount(g.Key, g.Count()));

    internal static IQueryable<EventRow> RegionEvents(LprEventsDbContext db, DateTime now, string slug) =>
        EventsController.Upcoming(db, now, slug, EventsShown + 1);

    internal sealed record RegionEventCount(int RegionId, int Count);

    internal static IQueryable<ArticleCard> RegionArticles(LprEventsDbContext db, DateTime now, string slug) =>
        db.Articles.AsNoTracking()
            .VisibleAt(now)
            .Where(a => a.Regions.Any(r => r.Slug == slug))
            .NewestFirst()
            .Take(ArticlesShown)
            .SelectCards();
}

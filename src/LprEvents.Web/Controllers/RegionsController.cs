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

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return View(new RegionListViewModel(await Summaries(db, now).ToListAsync(ct)));
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

        var events = (await RegionEvents(db, now, slug).ToListAsync(ct)).ConvertAll(r => r.ToCard(now));
        var articles = await RegionArticles(db, now, slug).ToListAsync(ct);
        return View(new RegionViewModel(region.Name, region.Slug, region.Description, events, articles));
    }

    internal static IQueryable<RegionSummary> Summaries(LprEventsDbContext db, DateTime now) =>
        db.Regions.AsNoTracking()
            .OrderBy(r => r.Name)
            .Select(r => new RegionSummary(
                r.Name,
                r.Slug,
                r.Description,
                r.Events.Count(e => e.Status == EventStatus.Published && e.EndsAtUtc >= now)));

    internal static IQueryable<EventRow> RegionEvents(LprEventsDbContext db, DateTime now, string slug) =>
        EventsController.CardRows(db)
            .Upcoming(now)
            .Where(e => e.Regions.Any(r => r.Slug == slug))
            .OrderBy(e => e.StartsAtUtc)
            .Take(EventsController.MaxUpcoming)
            .SelectRows();

    internal static IQueryable<ArticleCard> RegionArticles(LprEventsDbContext db, DateTime now, string slug) =>
        db.Articles.AsNoTracking()
            .VisibleAt(now)
            .Where(a => a.Regions.Any(r => r.Slug == slug))
            .NewestFirst()
            .Take(ArticlesShown)
            .SelectCards();
}

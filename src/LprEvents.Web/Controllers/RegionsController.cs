using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Home;
using LprEvents.Web.ViewModels.Regions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

[Route("regionen")]
public sealed class RegionsController(LprEventsDbContext db, TimeProvider time) : Controller
{
    public const int ArticlesShown = 10;

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
        var region = await db.Regions.AsNoTracking().Where(r => r.Slug == slug).Select(r => new { r.Name, r.Slug, r.Description }).FirstOrDefaultAsync(ct);
        if (region is null)
        {
            return NotFound();
        }

        var events = await db.Events.AsNoTracking()
            .Public()
            .Upcoming(now)
            .Where(e => e.Regions.Any(r => r.Slug == slug))
            .OrderBy(e => e.StartsAtUtc)
            .Take(EventsController.MaxUpcoming)
            .ToCardsAsync(now, ct);
        var articles = await db.Articles.AsNoTracking()
            .VisibleAt(now)
            .Where(a => a.Regions.Any(r => r.Slug == slug))
            .OrderByDescending(a => a.PublishedAtUtc)
            .Take(ArticlesShown)
            .SelectCards()
            .ToListAsync(ct);
        return View(new RegionViewModel(region.Name, region.Slug, region.Description, events, articles));
    }

    internal static Task<List<RegionSummary>> SummariesAsync(LprEventsDbContext db, DateTime nowUtc, CancellationToken ct) =>
        db.Regions.AsNoTracking()
            .OrderBy(r => r.Name)
            .Select(r => new RegionSummary(
                r.Name,
                r.Slug,
                r.Description,
                r.Events.Count(e => e.Status == EventStatus.Published && e.EndsAtUtc >= nowUtc)))
            .ToListAsync(ct);
}

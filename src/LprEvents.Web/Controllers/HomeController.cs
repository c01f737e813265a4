using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Home;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

public sealed class HomeController(LprEventsDbContext db, TimeProvider time) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var articles = await db.Articles.AsNoTracking()
            .VisibleAt(now)
            .OrderByDescending(a => a.PublishedAtUtc)
            .Take(4)
            .SelectCards()
            .ToListAsync(ct);
        var events = await db.Events.AsNoTracking()
            .Public()
            .Upcoming(now)
            .Where(e => e.Status == EventStatus.Published)
            .OrderBy(e => e.StartsAtUtc)
            .Take(3)
            .ToCardsAsync(now, ct);
        var regions = await RegionsController.SummariesAsync(db, now, ct);
        return View(new HomeViewModel(articles, events, regions));
    }
}

using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Home;
using LprEvents.Web.ViewModels.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

public sealed class HomeController(LprEventsDbContext db, TimeProvider time) : Controller
{
    [HttpGet("")]
    [OutputCache(PolicyName = Caching.PublicPage)]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var articles = await LatestArticles(db, now).ToListAsync(ct);
        var events = (await NextEvents(db, now).ToListAsync(ct)).ConvertAll(r => r.ToCard(now));
        var regions = await RegionsController.SummariesAsync(db, now, ct);
        return View(new HomeViewModel(articles, events, regions));
    }

    // The queries are static so that tests can translate each of them for SQL Server (ToQueryString).
    internal static IQueryable<ArticleCard> LatestArticles(LprEventsDbContext db, DateTime now) =>
        db.Articles.AsNoTracking()
            .VisibleAt(now)
            .NewestFirst()
            .Take(4)
            .SelectCards();

    internal static IQueryable<EventRow> NextEvents(LprEventsDbContext db, DateTime now) =>
        db.Events.AsNoTracking()
            .Where(e => e.Status == EventStatus.Published)
            .Upcoming(now)
            .OrderBy(e => e.StartsAtUtc)
            .ThenBy(e => e.Id)
            .Take(3)
            .SelectRows();
}

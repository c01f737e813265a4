using LprEvents.Web.Data;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Articles;
using LprEvents.Web.ViewModels.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

[Route("aktuelles")]
public sealed class ArticlesController(LprEventsDbContext db, MarkdownRenderer markdown, TimeProvider time) : Controller
{
    public const int PageSize = 10;

    /// <summary>Bounds the page number so that no request can make the database skip millions of rows.</summary>
    public const int MaxPage = 1000;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? region, int? jahr, int seite = 1, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new RegionLink(r.Name, r.Slug)).ToListAsync(ct);
        if ((region is not null && regions.All(r => r.Slug != region)) || seite is < 1 or > MaxPage || jahr is < 1900 or > 9999)
        {
            return NotFound();
        }

        var visible = db.Articles.AsNoTracking().VisibleAt(now);
        var years = await YearsAsync(visible, ct);

        var query = visible;
        if (region is not null)
        {
            query = query.Where(a => a.Regions.Any(r => r.Slug == region));
        }

        if (jahr is { } year)
        {
            var from = BerlinTime.ToUtc(new DateOnly(year, 1, 1), 0, 0);
            var to = BerlinTime.ToUtc(new DateOnly(year + 1, 1, 1), 0, 0);
            query = query.Where(a => a.PublishedAtUtc >= from && a.PublishedAtUtc < to);
        }

        var total = await query.CountAsync(ct);
        var paging = new PageNavigation(seite, PageSize, total);
        if (seite > paging.PageCount)
        {
            return NotFound();
        }

        var articles = await query
            .OrderByDescending(a => a.PublishedAtUtc).ThenByDescending(a => a.Id)
            .Skip((seite - 1) * PageSize)
            .Take(PageSize)
            .SelectCards()
            .ToListAsync(ct);
        return View(new ArticleListViewModel(articles, paging, regions, years, region, jahr));
    }

    [HttpGet("{slug}")]
    public async Task<IActionResult> Detail(string slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var article = await db.Articles.AsNoTracking()
            .VisibleAt(now)
            .Where(a => a.Slug == slug)
            .Select(a => new
            {
                a.Title,
                a.Slug,
                a.Teaser,
                a.Body,
                PublishedAtUtc = a.PublishedAtUtc!.Value,
                a.UpdatedAtUtc,
                a.Author,
                a.LeadImage,
                a.EventId,
                Regions = a.Regions.OrderBy(r => r.SortOrder).Select(r => new RegionLink(r.Name, r.Slug)).ToList(),
            })
            .FirstOrDefaultAsync(ct);
        if (article is null)
        {
            return NotFound();
        }

        var linkedEvent = article.EventId is { } eventId
            ? (await db.Events.AsNoTracking().Public().Where(e => e.Id == eventId).ToCardsAsync(now, ct)).FirstOrDefault()
            : null;

        return View(new ArticleViewModel(
            article.Title,
            article.Slug,
            article.Teaser,
            markdown.Render(article.Body),
            article.PublishedAtUtc,
            article.UpdatedAtUtc,
            article.Author,
            ImageView.From(article.LeadImage),
            article.Regions,
            linkedEvent));
    }

    /// <summary>The years that have articles, newest first, for the year filter.</summary>
    private static async Task<IReadOnlyList<int>> YearsAsync(IQueryable<Domain.Article> visible, CancellationToken ct)
    {
        var first = await visible.MinAsync(a => a.PublishedAtUtc, ct);
        var last = await visible.MaxAsync(a => a.PublishedAtUtc, ct);
        if (first is null || last is null)
        {
            return [];
        }

        var from = BerlinTime.ToLocal(first.Value).Year;
        var to = BerlinTime.ToLocal(last.Value).Year;
        return Enumerable.Range(from, to - from + 1).Reverse().ToList();
    }
}

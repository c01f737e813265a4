using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Articles;
using LprEvents.Web.ViewModels.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

[Route("aktuelles")]
public sealed class ArticlesController(LprEventsDbContext db, MarkdownRenderer markdown, TimeProvider time, PublicCache cache) : Controller
{
    public const int PageSize = 10;

    [HttpGet("")]
    [OutputCache(PolicyName = Caching.NewsList)]
    public async Task<IActionResult> Index(string? region, int? jahr, int seite = 1, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var regions = await RegionLinks(db).ToListAsync(ct);
        if ((region is not null && regions.All(r => r.Slug != region)) || seite < 1 || jahr is < 1900 or > 9998)
        {
            return NotFound();
        }

        // Counts and years change only with an article: cached until the next one (PublicCache evicts them).
        var years = await cache.ListValueAsync("news:years", now, () => YearsAsync(db.Articles.AsNoTracking().VisibleAt(now), ct));
        var query = Filtered(db, now, region, jahr);
        var count = await cache.ListValueAsync($"news:count:{region}:{jahr}", now, () => query.CountAsync(ct));
        var paging = new PageNavigation(seite, PageSize, count);
        if (seite > paging.PageCount)
        {
            return NotFound();
        }

        var articles = await Page(db, query, seite).ToListAsync(ct);
        return View(new ArticleListViewModel(articles, paging, regions, years, region, jahr));
    }

    [HttpGet("{slug}")]
    [OutputCache(PolicyName = Caching.PublicPage)]
    public async Task<IActionResult> Detail(string slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var article = await ArticleBySlug(db, now, slug).FirstOrDefaultAsync(ct);
        return article is null ? NotFound() : View(await ViewModelAsync(db, markdown, article, now, ct));
    }

    /// <summary>The public article page's model: also what an editor's full-page preview and a preview link show.</summary>
    internal static async Task<ArticleViewModel> ViewModelAsync(LprEventsDbContext db, MarkdownRenderer markdown, ArticleRow article, DateTime now, CancellationToken ct)
    {
        var linkedEvent = article.EventId is { } eventId
            ? await EventsController.CardRows(db).Where(e => e.Id == eventId).FirstCardAsync(now, ct)
            : null;

        return new ArticleViewModel(
            article.Title,
            article.Slug,
            article.Teaser,
            markdown.Render(article.Body),
            article.Date,
            article.UpdatedAtUtc,
            article.AuthorName,
            ImageView.From(article.LeadImage),
            article.Regions,
            linkedEvent,
            MarkdownRenderer.Describe(article.Teaser, article.Body));
    }

    internal static IQueryable<RegionLink> RegionLinks(LprEventsDbContext db) =>
        db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new RegionLink(r.Name, r.Slug));

    internal static IQueryable<Article> Filtered(LprEventsDbContext db, DateTime now, string? region, int? year)
    {
        var query = db.Articles.AsNoTracking().VisibleAt(now);
        if (region is not null)
        {
            query = query.Where(a => a.Regions.Any(r => r.Slug == region));
        }

        if (year is { } y)
        {
            var from = new DateOnly(y, 1, 1);
            var to = new DateOnly(y + 1, 1, 1);
            query = query.Where(a => a.Date >= from && a.Date < to);
        }

        return query;
    }

    /// <summary>
    /// One page of the filtered articles, newest first. A deferred join: the page's ids are found by walking the
    /// narrow "newest first" index (IX_Articles_NewestFirst holds the visibility columns too), and only those ten
    /// rows are read in full, so a deep page skips index entries, never whole articles.
    /// </summary>
    internal static IQueryable<ArticleCard> Page(LprEventsDbContext db, IQueryable<Article> filtered, int page)
    {
        var ids = filtered
            .NewestFirst()
            .Skip((page - 1) * PageSize)
            .Take(PageSize)
            .Select(a => a.Id);
        return db.Articles.AsNoTracking()
            .Where(a => ids.Contains(a.Id))
            .NewestFirst()
            .SelectCards();
    }

    internal static IQueryable<ArticleRow> ArticleBySlug(LprEventsDbContext db, DateTime now, string slug) =>
        Rows(db.Articles.AsNoTracking().VisibleAt(now).Where(a => a.Slug == slug));

    /// <summary>Any article not in the Papierkorb, published or not: for previews only.</summary>
    /// <summary>What colleagues are asked to check: the pending version when there is one, else the article's text.</summary>
    internal static IQueryable<ArticleRow> ArticleForPreview(LprEventsDbContext db, int id) =>
        db.Articles.AsNoTracking().Where(a => a.Id == id && a.DeletedAtUtc == null)
            .Select(a => new ArticleRow(
                a.PendingTitle ?? a.Title,
                a.Slug,
                a.PendingTeaser ?? a.Teaser,
                a.PendingBody ?? a.Body,
                a.Date,
                a.UpdatedAtUtc,
                a.AuthorUser != null && a.AuthorUser.PublicName != "" ? a.AuthorUser.PublicName : null,
                a.LeadImage,
                a.EventId,
                a.Regions.OrderBy(r => r.SortOrder).Select(r => new RegionLink(r.Name, r.Slug)).ToList()))
            // Regions by a second query: in one, SQLite materialises the whole ArticleRegions table (see SelectCards).
            .AsSplitQuery();

    private static IQueryable<ArticleRow> Rows(IQueryable<Article> articles) =>
        articles
            .Select(a => new ArticleRow(
                a.Title,
                a.Slug,
                a.Teaser,
                a.Body,
                a.Date,
                a.UpdatedAtUtc,
                a.AuthorUser != null && a.AuthorUser.PublicName != "" ? a.AuthorUser.PublicName : null,
                a.LeadImage,
                a.EventId,
                a.Regions.OrderBy(r => r.SortOrder).Select(r => new RegionLink(r.Name, r.Slug)).ToList()))
            // Regions by a second query: in one, SQLite materialises the whole ArticleRegions table (see SelectCards).
            .AsSplitQuery();

    /// <summary>The years that have articles, newest first, for the year filter.</summary>
    private static async Task<IReadOnlyList<int>> YearsAsync(IQueryable<Article> visible, CancellationToken ct)
    {
        var first = await visible.MinAsync(a => (DateOnly?)a.Date, ct);
        var last = await visible.MaxAsync(a => (DateOnly?)a.Date, ct);
        if (first is null || last is null)
        {
            return [];
        }

        var from = first.Value.Year;
        var to = last.Value.Year;
        return Enumerable.Range(from, to - from + 1).Reverse().ToList();
    }

    internal sealed record ArticleRow(
        string Title,
        string Slug,
        string Teaser,
        string Body,
        DateOnly Date,
        DateTime UpdatedAtUtc,
        string? AuthorName,
        MediaAsset? LeadImage,
        int? EventId,
        List<RegionLink> Regions);
}

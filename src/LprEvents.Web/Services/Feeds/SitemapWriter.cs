using System.Globalization;
using System.Xml;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Feeds;

/// <summary>How many addresses a sitemap has, and so how many files (the protocol allows 50 000 addresses per file).</summary>
public sealed record SitemapPlan(int Regions, int Events, int Articles, int UrlsPerFile)
{
    public int Total => SitemapWriter.FixedPaths.Count + Regions + Events + Articles;

    public int FileCount => Math.Max(1, (Total + UrlsPerFile - 1) / UrlsPerFile);
}

/// <summary>
/// The sitemap (sitemaps.org 0.9): the fixed pages, every region, every public event and every visible article, each with
/// <c>lastmod</c>. Addresses are numbered in one fixed order (fixed pages, regions, events by id, articles by id) and cut
/// into files of <see cref="SitemapOptions.UrlsPerFile"/>; above one file, <c>/sitemap.xml</c> is an index of
/// <c>/sitemap-{n}.xml</c>. Events and articles are streamed as slug and dates straight from the database to the
/// response, so 100 000 articles cost neither memory nor rendered text.
/// </summary>
public sealed class SitemapWriter(LprEventsDbContext db, PublicUrls urls, IOptions<SitemapOptions> options)
{
    /// <summary>The sitemap protocol's limit of addresses per file.</summary>
    public const int MaxUrlsPerFile = 50_000;

    public const string ContentType = "application/xml; charset=utf-8";

    private const string Namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

    /// <summary>The pages that are always there; the legal pages change with a release, so they carry no lastmod.</summary>
    public static readonly IReadOnlyList<string> FixedPaths = ["/", "/aktuelles", "/veranstaltungen", "/regionen", "/impressum", "/datenschutz", "/barrierefreiheit"];

    public async Task<SitemapPlan> PlanAsync(DateTime nowUtc, CancellationToken ct) => new(
        await db.Regions.CountAsync(ct),
        await PublicEvents(db).CountAsync(ct),
        await VisibleArticles(db, nowUtc).CountAsync(ct),
        options.Value.UrlsPerFile);

    public async Task WriteIndexAsync(XmlWriter writer, SitemapPlan plan)
    {
        await writer.WriteStartElementAsync(null, "sitemapindex", Namespace);
        for (var number = 1; number <= plan.FileCount; number++)
        {
            await writer.WriteStartElementAsync(null, "sitemap", Namespace);
            await writer.WriteElementStringAsync(null, "loc", Namespace, urls.Absolute(FeedPaths.SitemapFile(number)));
            await writer.WriteEndElementAsync();
        }

        await writer.WriteEndElementAsync();
    }

    /// <summary>The addresses of file <paramref name="number"/> (1 when there is only one).</summary>
    public async Task WriteUrlsAsync(XmlWriter writer, SitemapPlan plan, int number, DateTime nowUtc, CancellationToken ct)
    {
        var from = (number - 1) * plan.UrlsPerFile;
        var to = Math.Min(from + plan.UrlsPerFile, plan.Total);
        await writer.WriteStartElementAsync(null, "urlset", Namespace);

        var offset = 0;
        var pages = FixedPaths.Count + plan.Regions;
        if (from < pages)
        {
            var changes = await LastChangesAsync(nowUtc, ct);
            var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => r.Slug).ToListAsync(ct);
            var fixedPages = FixedPaths.Select(path => (path, changes.ForFixedPage(path)));
            var regionPages = regions.Select(slug => ($"/regionen/{slug}", changes.ForRegion(slug)));
            foreach (var (path, lastChange) in fixedPages.Concat(regionPages).Skip(from).Take(to - from))
            {
                await WriteUrlAsync(writer, path, lastChange);
            }
        }

        offset += pages;
        var (skip, take) = Slice(offset, plan.Events, from, to);
        if (take > 0)
        {
            await foreach (var e in EventPage(db, skip, take).AsAsyncEnumerable().WithCancellation(ct))
            {
                await WriteUrlAsync(writer, $"/veranstaltungen/{e.Slug}", e.UpdatedAtUtc);
            }
        }

        offset += plan.Events;
        (skip, take) = Slice(offset, plan.Articles, from, to);
        if (take > 0)
        {
            await foreach (var a in ArticlePage(db, nowUtc, skip, take).AsAsyncEnumerable().WithCancellation(ct))
            {
                await WriteUrlAsync(writer, $"/aktuelles/{a.Slug}", Later(a.UpdatedAtUtc, a.PublishedAtUtc));
            }
        }

        await writer.WriteEndElementAsync();
    }

    internal static IQueryable<Domain.Event> PublicEvents(LprEventsDbContext db) => db.Events.AsNoTracking().Public();

    internal static IQueryable<Domain.Article> VisibleArticles(LprEventsDbContext db, DateTime nowUtc) => db.Articles.AsNoTracking().VisibleAt(nowUtc);

    internal static IQueryable<SitemapEvent> EventPage(LprEventsDbContext db, int skip, int take) =>
        PublicEvents(db).OrderBy(e => e.Id).Skip(skip).Take(take).Select(e => new SitemapEvent(e.Slug, e.UpdatedAtUtc));

    internal static IQueryable<SitemapArticle> ArticlePage(LprEventsDbContext db, DateTime nowUtc, int skip, int take) =>
        VisibleArticles(db, nowUtc).OrderBy(a => a.Id).Skip(skip).Take(take).Select(a => new SitemapArticle(a.Slug, a.UpdatedAtUtc, a.PublishedAtUtc));

    /// <summary>The latest change per region: its visible articles (saved or gone live) and its public events.</summary>
    internal static IQueryable<RegionChange> RegionArticleChanges(LprEventsDbContext db, DateTime nowUtc) =>
        VisibleArticles(db, nowUtc)
            .SelectMany(a => a.Regions, (a, r) => new { r.Slug, a.UpdatedAtUtc, a.PublishedAtUtc })
            .GroupBy(x => x.Slug)
            .Select(g => new RegionChange(g.Key, g.Max(x => x.UpdatedAtUtc), g.Max(x => x.PublishedAtUtc)));

    internal static IQueryable<RegionChange> RegionEventChanges(LprEventsDbContext db) =>
        PublicEvents(db)
            .SelectMany(e => e.Regions, (e, r) => new { r.Slug, e.UpdatedAtUtc })
            .GroupBy(x => x.Slug)
            .Select(g => new RegionChange(g.Key, g.Max(x => x.UpdatedAtUtc), null));

    /// <summary>Which part of a source of <paramref name="count"/> addresses, numbered from <paramref name="offset"/>, falls into [from, to).</summary>
    private static (int Skip, int Take) Slice(int offset, int count, int from, int to)
    {
        var start = Math.Max(from, offset);
        var end = Math.Min(to, offset + count);
        return end > start ? (start - offset, end - start) : (0, 0);
    }

    private async Task<LastChanges> LastChangesAsync(DateTime nowUtc, CancellationToken ct)
    {
        var articles = VisibleArticles(db, nowUtc);
        var latestArticle = Later(await articles.MaxAsync(a => (DateTime?)a.UpdatedAtUtc, ct), await articles.MaxAsync(a => a.PublishedAtUtc, ct));
        var latestEvent = await PublicEvents(db).MaxAsync(e => (DateTime?)e.UpdatedAtUtc, ct);
        var regions = (await RegionArticleChanges(db, nowUtc).ToListAsync(ct))
            .Concat(await RegionEventChanges(db).ToListAsync(ct))
            .GroupBy(c => c.Slug)
            .ToDictionary(g => g.Key, g => g.Select(c => Later(c.UpdatedAtUtc, c.PublishedAtUtc)).Max());
        return new LastChanges(latestArticle, latestEvent, regions);
    }

    private async Task WriteUrlAsync(XmlWriter writer, string path, DateTime? lastChangeUtc)
    {
        await writer.WriteStartElementAsync(null, "url", Namespace);
        await writer.WriteElementStringAsync(null, "loc", Namespace, urls.Absolute(path));
        if (lastChangeUtc is { } utc)
        {
            await writer.WriteElementStringAsync(null, "lastmod", Namespace, utc.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture));
        }

        await writer.WriteEndElementAsync();
    }

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private sealed record LastChanges(DateTime? Article, DateTime? Event, Dictionary<string, DateTime?> Regions)
    {
        public DateTime? ForFixedPage(string path) => path switch
        {
            "/" or "/regionen" => Later(Article, Event),
            "/aktuelles" => Article,
            "/veranstaltungen" => Event,
            _ => null,
        };

        public DateTime? ForRegion(string slug) => Regions.GetValueOrDefault(slug);
    }
}

internal sealed record SitemapEvent(string Slug, DateTime UpdatedAtUtc);

internal sealed record SitemapArticle(string Slug, DateTime UpdatedAtUtc, DateTime? PublishedAtUtc);

internal sealed record RegionChange(string Slug, DateTime UpdatedAtUtc, DateTime? PublishedAtUtc);

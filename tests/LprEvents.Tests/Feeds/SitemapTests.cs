using System.Net;
using System.Xml.Linq;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Feeds;

/// <summary>Search engines find every public page through the sitemap that robots.txt names, however large the archive.</summary>
public sealed class SitemapTests
{
    private static readonly XNamespace Ns = "http://www.sitemaps.org/schemas/sitemap/0.9";

    private const string Base = LprWebFactory.DefaultPublicBaseUrl;

    private static async Task<(HttpResponseMessage Response, XDocument? Xml)> GetXmlAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, response.IsSuccessStatusCode ? XDocument.Parse(body) : null);
    }

    private static List<string> Locations(XDocument xml, string element) =>
        xml.Root!.Elements(Ns + element).Select(e => e.Element(Ns + "loc")!.Value).ToList();

    /// <summary>What a visitor reaches by following the site's own lists: every page of the news and event lists, and the regions.</summary>
    private static async Task<HashSet<string>> PagesLinkedFromTheListsAsync(HttpClient client)
    {
        var pages = new HashSet<string>();
        foreach (var (list, prefix) in new[] { ("/aktuelles", "/aktuelles/"), ("/veranstaltungen", "/veranstaltungen/"), ("/regionen", "/regionen/") })
        {
            for (var number = 1; ; number++)
            {
                var (response, page) = await client.GetPageAsync($"{list}?seite={number}");
                if (response.StatusCode != HttpStatusCode.OK || (number > 1 && list == "/regionen"))
                {
                    break;
                }

                foreach (var href in page.QuerySelectorAll("main .card__title a, main .region-cards a").Select(a => a.GetAttribute("href")!))
                {
                    if (href.StartsWith(prefix, StringComparison.Ordinal) && href.Count(c => c == '/') == 2)
                    {
                        pages.Add(Base + href);
                    }
                }
            }
        }

        return pages;
    }

    [Fact]
    public async Task Sitemap_ListsEveryPublicPageWithLastmod_AndNoDraftScheduledOrDeletedArticle()
    {
        using var factory = new LprWebFactory();
        var now = FeedData.Now(factory);
        await FeedData.AddArticleAsync(factory, "sitemap-entwurf", ArticleStatus.Draft);
        await FeedData.AddArticleAsync(factory, "sitemap-geplant", ArticleStatus.Scheduled, publishedAtUtc: now.AddDays(2));
        await FeedData.AddArticleAsync(factory, "sitemap-geloescht", deleted: true);
        await FeedData.AddEventAsync(factory, "sitemap-event-entwurf", new DateTime(2026, 5, 1, 10, 0, 0), EventStatus.Draft);
        var article = await FeedData.AddArticleAsync(factory, "sitemap-sichtbar", updatedAtUtc: new DateTime(2026, 3, 9, 12, 15, 0, DateTimeKind.Utc), publishedAtUtc: new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc));
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var (response, xml) = await GetXmlAsync(client, "/sitemap.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Ns + "urlset", xml!.Root!.Name);
        var listed = Locations(xml, "url");
        Assert.Equal(listed.Count, listed.Distinct().Count());
        foreach (var path in new[] { "/", "/aktuelles", "/veranstaltungen", "/regionen", "/impressum", "/datenschutz", "/barrierefreiheit" })
        {
            Assert.Contains(Base + path, listed);
        }

        var linked = await PagesLinkedFromTheListsAsync(client);
        Assert.Contains($"{Base}/aktuelles/{article.Slug}", linked);
        Assert.Contains($"{Base}/regionen/mittelsachsen", linked);
        Assert.Empty(linked.Except(listed));
        Assert.DoesNotContain(listed, l => l.Contains("entwurf", StringComparison.Ordinal) || l.Contains("geplant", StringComparison.Ordinal) || l.Contains("geloescht", StringComparison.Ordinal));
        foreach (var url in listed)
        {
            var page = await client.GetAsync(new Uri(url), TestContext.Current.CancellationToken);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{url} answers {page.StatusCode}");
        }

        var entry = xml.Root.Elements(Ns + "url").Single(u => u.Element(Ns + "loc")!.Value == $"{Base}/aktuelles/sitemap-sichtbar");
        Assert.Equal("2026-03-09T12:15:00+00:00", entry.Element(Ns + "lastmod")?.Value);
        Assert.All(
            xml.Root.Elements(Ns + "url").Where(u => u.Element(Ns + "loc")!.Value.Contains("/aktuelles/", StringComparison.Ordinal) || u.Element(Ns + "loc")!.Value.Contains("/veranstaltungen/", StringComparison.Ordinal)),
            u => Assert.NotNull(u.Element(Ns + "lastmod")));
    }

    [Fact]
    public async Task Sitemap_WithMoreAddressesThanOneFileHolds_IsAnIndexOfFilesThatTogetherListEveryPageOnce()
    {
        using var single = new LprWebFactory();
        using var split = new LprWebFactory();
        split.ExtraSettings["Sitemap:UrlsPerFile"] = "10";
        var everything = Locations((await GetXmlAsync(single.CreateClient(), "/sitemap.xml")).Xml!, "url");
        var client = split.CreateClient();

        var (response, index) = await GetXmlAsync(client, "/sitemap.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Ns + "sitemapindex", index!.Root!.Name);
        var files = Locations(index, "sitemap");
        var count = (everything.Count + 9) / 10;
        Assert.Equal(Enumerable.Range(1, count).Select(n => $"{Base}/sitemap-{n}.xml"), files);
        var listed = new List<string>();
        foreach (var file in files)
        {
            var (part, xml) = await GetXmlAsync(client, new Uri(file).AbsolutePath);
            Assert.Equal(HttpStatusCode.OK, part.StatusCode);
            var urls = Locations(xml!, "url");
            Assert.InRange(urls.Count, 1, 10);
            listed.AddRange(urls);
        }

        Assert.Equal(everything, listed);
        Assert.Equal(HttpStatusCode.NotFound, (await GetXmlAsync(client, $"/sitemap-{count + 1}.xml")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetXmlAsync(client, "/sitemap-0.xml")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetXmlAsync(single.CreateClient(), "/sitemap-1.xml")).Response.StatusCode);
    }

    /// <summary>The protocol's real limit, with the articles inserted by one SQL statement rather than one by one.</summary>
    [Fact]
    public async Task Sitemap_AtFiftyThousandAndOneArticles_SplitsAtTheProtocolsLimitOf50000()
    {
        using var factory = new EmptySiteFactory();
        var template = await FeedData.AddArticleAsync(factory, "massenbeitrag");
        await using (var scope = factory.CreateDbScope())
        {
            var columns = await scope.Db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('Articles') WHERE name NOT IN ('Id', 'Slug')").ToListAsync(TestContext.Current.CancellationToken);
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            // Column names from the schema itself (so a column added later is copied too), the template's id as a parameter.
            var sql = $$"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
                INSERT INTO "Articles" ("Slug", {{list}}) SELECT 'massenbeitrag-' || i, {{list}} FROM "Articles", n WHERE "Articles"."Id" = {0}
                """;
            var inserted = await scope.Db.Database.ExecuteSqlRawAsync(sql, [template.Id], TestContext.Current.CancellationToken);
            Assert.Equal(50000, inserted);
        }

        var client = factory.CreateClient();
        var (_, index) = await GetXmlAsync(client, "/sitemap.xml");

        Assert.Equal([$"{Base}/sitemap-1.xml", $"{Base}/sitemap-2.xml"], Locations(index!, "sitemap"));
        var first = Locations((await GetXmlAsync(client, "/sitemap-1.xml")).Xml!, "url");
        var second = Locations((await GetXmlAsync(client, "/sitemap-2.xml")).Xml!, "url");
        Assert.Equal(50000, first.Count);
        Assert.Equal(7 + 13 + 50001 - 50000, second.Count);
        var all = first.Concat(second).ToHashSet();
        Assert.Equal(7 + 13 + 50001, all.Count);
        Assert.Contains($"{Base}/aktuelles/massenbeitrag", all);
        Assert.Contains($"{Base}/aktuelles/massenbeitrag-50000", all);
    }

    [Fact]
    public async Task RobotsTxt_NamesTheSitemapAtThePublicAddress_AndKeepsCrawlersOutOfPrivatePages()
    {
        using var factory = new LprWebFactory();

        var response = await factory.CreateClient().GetAsync(new Uri("/robots.txt", UriKind.Relative), TestContext.Current.CancellationToken);
        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split('\n');

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains($"Sitemap: {Base}/sitemap.xml", lines);
        Assert.Contains("Disallow: /admin/", lines);
        Assert.Contains("Disallow: /anmeldung/", lines);
        Assert.Contains("Disallow: /vorschau/", lines);
        Assert.Equal("User-agent: *", lines[0]);
    }
}

using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;

namespace LprEvents.Tests.Feeds;

/// <summary>A feed reader follows the site or one region: whole articles, their images with alt text, their own dates.</summary>
public sealed class AtomFeedTests(EmptySiteFactory factory) : IClassFixture<EmptySiteFactory>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private const string Base = LprWebFactory.DefaultPublicBaseUrl;

    private async Task<(HttpResponseMessage Response, string Xml)> GetAsync(string path, HttpClient? client = null)
    {
        var response = await (client ?? factory.CreateClient()).GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return (response, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static SyndicationFeed Load(string xml)
    {
        Assert.Equal(Atom + "feed", XDocument.Parse(xml).Root!.Name);
        using var reader = XmlReader.Create(new StringReader(xml));
        return SyndicationFeed.Load(reader);
    }

    private static SyndicationItem Entry(SyndicationFeed feed, string slug) =>
        Assert.Single(feed.Items, i => i.Links.Any(l => l.RelationshipType == "alternate" && l.Uri.AbsoluteUri == $"{Base}/aktuelles/{slug}"));

    [Fact]
    public async Task SiteFeed_IsAtomWithTheRequiredElements_WholeArticleAndLeadImageWithItsAltText()
    {
        var image = FeedData.Image("netzwerk-grafik", "Grafik: drei Gruppen, durch Linien verbunden");
        var article = await FeedData.AddArticleAsync(
            factory,
            "feed-voll",
            date: new DateOnly(2026, 3, 2),
            updatedAtUtc: new DateTime(2026, 3, 9, 15, 30, 0, DateTimeKind.Utc),
            teaser: "Rund vierzig Fachleute trafen sich.",
            body: "## Ergebnisse\n\nSiehe [das Programm](/veranstaltungen/treffen) und [unten](#ergebnisse).\n\n![Gruppenfoto im Saal](/medien/saal-960.jpg)",
            regions: ["mittelsachsen"],
            leadImage: image);

        var (response, xml) = await GetAsync("/feed.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var feed = Load(xml);
        Assert.Equal("tag:lpr.sachsen.de,2026:beitraege", feed.Id);
        Assert.Equal("Landespräventionsrat Sachsen: Aktuelles", feed.Title.Text);
        Assert.NotEqual(default, feed.LastUpdatedTime);
        Assert.Equal($"{Base}/feed.xml", Assert.Single(feed.Links, l => l.RelationshipType == "self").Uri.AbsoluteUri);
        Assert.Equal($"{Base}/aktuelles", Assert.Single(feed.Links, l => l.RelationshipType == "alternate").Uri.AbsoluteUri);

        var entry = Entry(feed, "feed-voll");
        Assert.Equal($"tag:lpr.sachsen.de,2026:beitrag:{article.Id}", entry.Id);
        Assert.Equal("Beitrag feed-voll", entry.Title.Text);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(1)), entry.PublishDate);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 15, 30, 0, TimeSpan.Zero), entry.LastUpdatedTime);
        Assert.Equal("Redaktion", Assert.Single(entry.Authors).Name);
        Assert.Equal("mittelsachsen", Assert.Single(entry.Categories).Name);

        var content = Assert.IsType<TextSyndicationContent>(entry.Content);
        Assert.Equal("html", content.Type);
        var html = Html.Parse(content.Text);
        var lead = html.QuerySelector("figure img")!;
        Assert.Equal("Grafik: drei Gruppen, durch Linien verbunden", lead.GetAttribute("alt"));
        Assert.Equal($"{Base}/medien/netzwerk-grafik-960.jpg", lead.GetAttribute("src"));
        Assert.Contains("Erika Muster", html.QuerySelector("figcaption")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Rund vierzig Fachleute trafen sich.", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Ergebnisse", html.QuerySelector("h2")?.TextContent);
        Assert.Equal("Gruppenfoto im Saal", html.QuerySelector("p img")?.GetAttribute("alt"));
        Assert.Equal($"{Base}/medien/saal-960.jpg", html.QuerySelector("p img")?.GetAttribute("src"));
        Assert.Equal(
            [$"{Base}/veranstaltungen/treffen", $"{Base}/aktuelles/feed-voll#ergebnisse"],
            html.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task Feed_ShowsOnlyPublishedArticles_NeitherDraftsNorScheduledNorDeleted()
    {
        var now = FeedData.Now(factory);
        await FeedData.AddArticleAsync(factory, "sichtbar-online");
        await FeedData.AddArticleAsync(factory, "noch-entwurf", ArticleStatus.Draft, regions: ["bautzen"]);
        await FeedData.AddArticleAsync(factory, "erst-morgen", ArticleStatus.Scheduled, publishedAtUtc: now.AddDays(1), regions: ["bautzen"]);
        await FeedData.AddArticleAsync(factory, "im-papierkorb", deleted: true, regions: ["bautzen"]);
        await FeedData.AddArticleAsync(factory, "sichtbar-bautzen", regions: ["bautzen"]);

        foreach (var path in new[] { "/feed.xml", "/regionen/bautzen/feed.xml" })
        {
            var (_, xml) = await GetAsync(path);
            var feed = Load(xml);
            var links = feed.Items.Select(i => i.Links.Single(l => l.RelationshipType == "alternate").Uri.AbsolutePath).ToList();
            Assert.Contains("/aktuelles/sichtbar-bautzen", links);
            Assert.DoesNotContain("/aktuelles/noch-entwurf", links);
            Assert.DoesNotContain("/aktuelles/erst-morgen", links);
            Assert.DoesNotContain("/aktuelles/im-papierkorb", links);
            Assert.DoesNotContain("noch-entwurf", xml, StringComparison.Ordinal);
        }

    }

    [Fact]
    public async Task RegionFeed_HasThatRegionsArticlesOnly_AndAnUnknownRegionIs404()
    {
        await FeedData.AddArticleAsync(factory, "aus-zwickau", regions: ["zwickau"]);
        await FeedData.AddArticleAsync(factory, "aus-goerlitz", regions: ["goerlitz"]);

        var (response, xml) = await GetAsync("/regionen/zwickau/feed.xml");
        var (unknown, _) = await GetAsync("/regionen/atlantis/feed.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var feed = Load(xml);
        Assert.Equal("Landespräventionsrat Sachsen: Region Zwickau", feed.Title.Text);
        Assert.Equal($"{Base}/regionen/zwickau/feed.xml", feed.Links.Single(l => l.RelationshipType == "self").Uri.AbsoluteUri);
        Assert.Equal($"{Base}/regionen/zwickau", feed.Links.Single(l => l.RelationshipType == "alternate").Uri.AbsoluteUri);
        Assert.All(feed.Items, i => Assert.Contains(i.Categories, c => c.Name == "zwickau"));
        Entry(feed, "aus-zwickau");
        Assert.DoesNotContain("aus-goerlitz", xml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Feed_HoldsTheNewestTwentyByTheArticlesOwnDate_NewestFirst()
    {
        // Dates in the opposite order of publication: the article's own date orders the feed, as it orders the list pages.
        for (var i = 0; i < 25; i++)
        {
            await FeedData.AddArticleAsync(factory, $"serie-{i:00}", publishedAtUtc: new DateTime(2025, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddHours(-i), date: new DateOnly(2001, 1, 1).AddDays(i), regions: ["nordsachsen"]);
        }

        var feed = Load((await GetAsync("/regionen/nordsachsen/feed.xml")).Xml);

        Assert.Equal(
            Enumerable.Range(5, 20).Reverse().Select(i => $"{Base}/aktuelles/serie-{i:00}"),
            feed.Items.Select(e => e.Links.Single(l => l.RelationshipType == "alternate").Uri.AbsoluteUri));
    }

    [Fact]
    public async Task Entry_CreditsThePublicNameOfTheEditor_NeverTheLogin()
    {
        await FeedData.AddArticleAsync(factory, "mit-namen", publicAuthorName: "Erika Muster");

        var (_, xml) = await GetAsync("/feed.xml");

        Assert.Equal("Erika Muster", Assert.Single(Entry(Load(xml), "mit-namen").Authors).Name);
        Assert.DoesNotContain("redakteurin@lpr.example", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("mit-namen@lpr.example", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feeds_UnderAnotherAllowedHostName_LinkOnlyToTheConfiguredPublicAddress()
    {
        using var aliased = new EmptySiteFactory();
        aliased.ExtraSettings["AllowedHosts"] = "veranstaltungen.test;evil.example";
        await FeedData.AddArticleAsync(aliased, "gefaelschter-host", body: "[Start](/) ![Bild](/medien/a-960.jpg)", regions: ["leipzig"], leadImage: FeedData.Image("host-bild", "Ein Bild"));
        await FeedData.AddEventAsync(aliased, "treffen-host", new DateTime(2026, 5, 5, 10, 0, 0), regions: ["leipzig"]);
        var evil = aliased.CreateClient(new() { BaseAddress = new Uri("https://evil.example") });

        foreach (var path in new[] { "/feed.xml", "/regionen/leipzig/feed.xml", "/kalender.ics", "/regionen/leipzig/kalender.ics", "/veranstaltungen/treffen-host/kalender.ics", "/sitemap.xml", "/robots.txt" })
        {
            var (response, body) = await GetAsync(path, evil);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
            Assert.Contains(Base + "/", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryPage_NamesTheSiteFeed_AndARegionPageItsOwnFeed()
    {
        var client = factory.CreateClient();

        var (_, home) = await client.GetPageAsync("/");
        var (_, region) = await client.GetPageAsync("/regionen/mittelsachsen");
        var (_, events) = await client.GetPageAsync("/veranstaltungen");

        static string[] Feeds(AngleSharp.Dom.IDocument page) =>
            page.QuerySelectorAll("head link[rel=alternate][type='application/atom+xml']").Select(l => l.GetAttribute("href")!).ToArray();
        Assert.Equal([$"{Base}/feed.xml"], Feeds(home));
        Assert.Equal([$"{Base}/feed.xml"], Feeds(events));
        Assert.Equal([$"{Base}/feed.xml", $"{Base}/regionen/mittelsachsen/feed.xml"], Feeds(region));
        Assert.All(home.QuerySelectorAll("head link[rel=alternate]"), l => Assert.False(string.IsNullOrEmpty(l.GetAttribute("title"))));
        Assert.Equal($"{Base}/regionen/mittelsachsen/feed.xml", region.QuerySelector("#abonnieren ~ ul a[type='application/atom+xml']")?.GetAttribute("href"));
    }
}

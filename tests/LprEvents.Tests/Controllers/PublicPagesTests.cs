using System.Net;
using System.Text.Json;
using LprEvents.Tests.Support;

namespace LprEvents.Tests.Controllers;

/// <summary>
/// Every public page through the real pipeline, on the demo content. Runs on SQLite always and on SQL Server
/// when <c>LPR_TEST_SQLSERVER</c> is set (<see cref="SqlServerPublicPagesTests"/>).
/// </summary>
public abstract class PublicPagesTestsBase<TFactory>(TFactory factory)
    where TFactory : LprWebFactory
{
    private HttpClient? _client;

    protected HttpClient Client
    {
        get
        {
            EnsureAvailable();
            return _client ??= factory.CreateClient(new() { AllowAutoRedirect = false });
        }
    }

    protected virtual void EnsureAvailable()
    {
    }

    [Fact]
    public async Task Home_ShowsNextEventsLatestReportsAndAllRegions()
    {
        var (response, page) = await Client.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Veranstaltungen und Berichte des Landespräventionsrates Sachsen", page.Text("h1"));
        var eventTitles = page.Texts("#naechste-veranstaltungen ~ .grid .card__title");
        Assert.Equal("Vernetzungstreffen Dresden, Meißen und Sächsische Schweiz-Osterzgebirge", eventTitles[0]);
        Assert.Equal(3, eventTitles.Count);
        Assert.Contains("Neue Online-Seminare für den Einstieg in die Prävention", page.BodyText(), StringComparison.Ordinal);
        Assert.Equal(13, page.QuerySelectorAll(".region-list li").Length);
    }

    [Fact]
    public async Task NewsList_ShowsPublishedArticlesNewestFirstAndHidesDraftsAndScheduled()
    {
        var (response, page) = await Client.GetPageAsync("/aktuelles");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("8 Beiträge", page.Text(".result-count"));
        var titles = page.Texts(".card__title");
        Assert.Equal("Neue Online-Seminare für den Einstieg in die Prävention", titles[0]);
        Assert.Equal("Vernetzungstreffen in Freiberg: Drei Regionen, ein Netzwerk", titles[^1]);
        Assert.DoesNotContain("Bericht vom Fachtag (Entwurf)", titles);
        Assert.DoesNotContain("Ausblick auf das kommende Jahr", titles);
    }

    [Fact]
    public async Task NewsList_FilteredByRegion_ShowsOnlyThatRegionsArticles()
    {
        var (response, page) = await Client.GetPageAsync("/aktuelles?region=mittelsachsen");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3 Beiträge", page.Text(".result-count"));
        Assert.All(page.Texts(".card__meta"), meta => Assert.Contains("Mittelsachsen", meta, StringComparison.Ordinal));
        Assert.Equal("mittelsachsen", page.QuerySelector("#filter-region option[selected]")?.GetAttribute("value"));
    }

    [Fact]
    public async Task NewsList_FilteredByYear_ShowsThatYearOnly()
    {
        var (_, page) = await Client.GetPageAsync("/aktuelles?jahr=2023");

        Assert.Equal("3 Beiträge", page.Text(".result-count"));
        Assert.All(page.Texts(".card__meta time"), date => Assert.EndsWith(".2023", date, StringComparison.Ordinal));
        Assert.Equal(["2026", "2025", "2024", "2023"], page.QuerySelectorAll("#filter-jahr option").Skip(1).Select(o => o.TextContent));
    }

    [Theory]
    [InlineData("/aktuelles?region=atlantis")]
    [InlineData("/aktuelles?seite=0")]
    [InlineData("/aktuelles?seite=2")]
    [InlineData("/aktuelles?seite=999999")]
    [InlineData("/aktuelles?jahr=99999")]
    [InlineData("/aktuelles/gibt-es-nicht")]
    [InlineData("/aktuelles/entwurf-bericht-fachtag")]
    [InlineData("/aktuelles/ausblick-kommendes-jahr")]
    [InlineData("/veranstaltungen/gibt-es-nicht")]
    [InlineData("/veranstaltungen/vernetzungstreffen-chemnitz-2026")]
    [InlineData("/veranstaltungen?seite=5")]
    [InlineData("/regionen/atlantis")]
    [InlineData("/irgendwas")]
    public async Task UnknownOrHiddenContent_IsAFriendlyGerman404InTheLayout(string url)
    {
        var (response, page) = await Client.GetPageAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Seite nicht gefunden", page.Text("h1"));
        Assert.NotNull(page.QuerySelector("a.skip-link[href='#inhalt']"));
        Assert.NotNull(page.QuerySelector("meta[name=robots][content=noindex]"));
    }

    [Fact]
    public async Task Article_ShowsDateImageWithAltCaptionCreditBodyEventFactsAndBackToTop()
    {
        var (response, page) = await Client.GetPageAsync("/aktuelles/bericht-vernetzungstreffen-freiberg-2023");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Vernetzungstreffen in Freiberg: Drei Regionen, ein Netzwerk", page.Text("h1"));
        Assert.Equal("20.04.2023", page.Text(".article__meta time"));
        var image = page.QuerySelector(".lead-image img")!;
        Assert.StartsWith("Grafik: grüne und weiße Punkte", image.GetAttribute("alt"), StringComparison.Ordinal);
        Assert.Contains("/medien/vernetzungstreffen-freiberg-480.jpg 480w", image.GetAttribute("srcset"), StringComparison.Ordinal);
        Assert.Contains("© LPR Sachsen", page.Text(".lead-image figcaption"), StringComparison.Ordinal);
        Assert.Equal(["Zwei Impulse am Vormittag", "Austausch in Kleingruppen", "Wie es weitergeht"], page.Texts(".prose h2"));
        Assert.Contains("Donnerstag, 20. April 2023, 09:30 bis 15:00 Uhr", page.Text(".facts"), StringComparison.Ordinal);
        Assert.Equal("/veranstaltungen/vernetzungstreffen-freiberg-2023", page.QuerySelector(".facts a")?.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("a[href='#seitenanfang']"));
        Assert.NotNull(page.GetElementById("seitenanfang"));

        var jsonLd = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement;
        Assert.Equal("NewsArticle", jsonLd.GetProperty("@type").GetString());
        Assert.Equal("2023-04-20", jsonLd.GetProperty("datePublished").GetString());
    }

    [Fact]
    public async Task Article_ImageFileIsServed()
    {
        var response = await Client.GetAsync(new Uri("/medien/vernetzungstreffen-freiberg-960.jpg", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EventsList_ShowsUpcomingInDateOrderAndPastSeparately()
    {
        var (response, page) = await Client.GetPageAsync("/veranstaltungen");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [
                "Vernetzungstreffen Dresden, Meißen und Sächsische Schweiz-Osterzgebirge",
                "Fachtag Sicherheitskonzepte für Großveranstaltungen",
                "Online-Seminar: Einstieg in die kommunale Kriminalprävention",
                "Vernetzungstreffen Vogtland und Zwickau",
            ],
            page.Texts("#kommende ~ .list .card__title"));
        Assert.Equal(["Vernetzungstreffen Chemnitz, Mittelsachsen und Erzgebirge"], page.Texts("#vergangene ~ .list .card__title"));
        Assert.DoesNotContain("Vernetzungstreffen Chemnitz (Planung)", page.BodyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_WithFreePlaces_ShowsFactsProgramAndPlacesLeft()
    {
        var slug = await SlugOfAsync("Vernetzungstreffen Dresden, Meißen und Sächsische Schweiz-Osterzgebirge");
        var (response, page) = await Client.GetPageAsync($"/veranstaltungen/{slug}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Rathaus Pirna, Ratssaal", page.Text(".facts--event"), StringComparison.Ordinal);
        Assert.Contains("09:30 bis 15:00 Uhr", page.Text(".facts--event"), StringComparison.Ordinal);
        Assert.Equal("Noch 9 von 40 Plätzen frei", page.Text(".registration-box .state__places"));
        Assert.Equal(7, page.QuerySelectorAll(".program__item").Length);
        Assert.Equal(2, page.QuerySelectorAll(".program__item--smallgroup").Length);

        var jsonLd = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent).RootElement;
        Assert.Equal("Event", jsonLd.GetProperty("@type").GetString());
        Assert.Equal("Pirna", jsonLd.GetProperty("location").GetProperty("address").GetProperty("addressLocality").GetString());
        // No "image": null or other empty properties for search engines to trip over.
        Assert.DoesNotContain(":null", page.QuerySelector("script[type='application/ld+json']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_WhenFull_SaysWaitingList()
    {
        var slug = await SlugOfAsync("Fachtag Sicherheitskonzepte für Großveranstaltungen");
        var (_, page) = await Client.GetPageAsync($"/veranstaltungen/{slug}");

        Assert.Equal("Ausgebucht – Anmeldung auf die Warteliste", page.Text(".registration-box .state__label"));
    }

    [Fact]
    public async Task Event_BeforeRegistrationOpens_SaysFromWhen()
    {
        var slug = await SlugOfAsync("Online-Seminar: Einstieg in die kommunale Kriminalprävention");
        var (_, page) = await Client.GetPageAsync($"/veranstaltungen/{slug}");

        Assert.Equal("Anmeldung ab 17.03.2026", page.Text(".registration-box .state__label"));
    }

    [Fact]
    public async Task PastEvent_ShowsItTookPlaceAndLinksItsReport()
    {
        var (response, page) = await Client.GetPageAsync("/veranstaltungen/vernetzungstreffen-freiberg-2023");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Veranstaltung hat stattgefunden", page.Text(".registration-box .state__label"));
        Assert.Contains("Impuls: Die Projekt-Canvas-Methode", page.Texts(".program__title"));
        Assert.Equal(["Vernetzungstreffen in Freiberg: Drei Regionen, ein Netzwerk"], page.Texts("#berichte ~ .list .card__title"));
    }

    [Fact]
    public async Task Regions_ListsTheThirteenRegionsOfSaxony()
    {
        var (response, page) = await Client.GetPageAsync("/regionen");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = page.Texts(".region-cards .card__title");
        Assert.Equal(13, names.Count);
        Assert.Contains("Sächsische Schweiz-Osterzgebirge", names);
        Assert.Contains("Görlitz", names);
    }

    [Fact]
    public async Task Region_ShowsItsEventsAndReports()
    {
        var (response, page) = await Client.GetPageAsync("/regionen/mittelsachsen");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Mittelsachsen", page.Text("h1"));
        Assert.Equal("Region Mittelsachsen – Veranstaltungen des Landespräventionsrates Sachsen", page.Title);
        Assert.Contains("Vernetzungstreffen in Freiberg: Drei Regionen, ein Netzwerk", page.Texts("#berichte ~ .list .card__title"));
        Assert.Contains("keine Veranstaltungen angekündigt", page.BodyText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/impressum", "Impressum")]
    [InlineData("/datenschutz", "Datenschutzerklärung")]
    [InlineData("/barrierefreiheit", "Erklärung zur Barrierefreiheit")]
    public async Task LegalPages_AreThere(string url, string heading)
    {
        var (response, page) = await Client.GetPageAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(heading, page.Text("h1"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/aktuelles")]
    [InlineData("/aktuelles/bericht-vernetzungstreffen-freiberg-2023")]
    [InlineData("/veranstaltungen")]
    [InlineData("/veranstaltungen/vernetzungstreffen-freiberg-2023")]
    [InlineData("/regionen")]
    [InlineData("/regionen/chemnitz")]
    [InlineData("/impressum")]
    [InlineData("/datenschutz")]
    [InlineData("/barrierefreiheit")]
    public async Task EveryPage_HasOneH1LandmarksSkipLinkCanonicalAndNoThirdPartyResources(string url)
    {
        var (response, page) = await Client.GetPageAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("de", page.DocumentElement.GetAttribute("lang"));
        Assert.Single(page.QuerySelectorAll("h1"));
        Assert.Single(page.QuerySelectorAll("main#inhalt"));
        Assert.NotNull(page.QuerySelector("header"));
        Assert.NotNull(page.QuerySelector("footer"));
        Assert.Equal("#inhalt", page.QuerySelector("a.skip-link")?.GetAttribute("href"));
        Assert.EndsWith(url.Split('?')[0] == "/" ? "/" : url, page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("meta[property='og:title']"));
        Assert.DoesNotContain("{0}", page.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("{0}", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("meta[name=description]")?.GetAttribute("content")));

        var resources = page.QuerySelectorAll("script[src], link[href], img[src], iframe, source[srcset], img[srcset]")
            .SelectMany(e => new[] { e.GetAttribute("src"), e.GetAttribute("href") }.Concat((e.GetAttribute("srcset") ?? "").Split(',').Select(s => s.Trim().Split(' ')[0])))
            .Where(u => !string.IsNullOrEmpty(u));
        foreach (var resource in resources)
        {
            var absolute = new Uri(Client.BaseAddress!, resource);
            Assert.True(absolute.Host == Client.BaseAddress!.Host, $"third-party resource {resource} on {url}");
        }

        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Health_LiveAndReady_AreHealthy()
    {
        var live = await Client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        var ready = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<string> SlugOfAsync(string title)
    {
        var (_, page) = await Client.GetPageAsync("/veranstaltungen");
        var link = page.QuerySelectorAll(".card__title a").First(a => Html.Normalise(a.TextContent) == title);
        return link.GetAttribute("href")!.Split('/')[^1];
    }
}

public sealed class PublicPagesTests(LprWebFactory factory)
    : PublicPagesTestsBase<LprWebFactory>(factory), IClassFixture<LprWebFactory>;

public sealed class SqlServerPublicPagesTests(SqlServerWebFactory factory)
    : PublicPagesTestsBase<SqlServerWebFactory>(factory), IClassFixture<SqlServerWebFactory>
{
    protected override void EnsureAvailable() => Assert.SkipUnless(SqlServerWebFactory.IsAvailable, SqlServerWebFactory.SkipReason);
}

using System.Net;
using AngleSharp.Dom;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Events;
using LprEvents.Web.Services.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Search;

/// <summary>
/// <c>/suche</c> as a reader uses it, over content that editors publish through the real services (which keep the
/// index in step): ranking, spelling, word forms, what must never be found, filters, paging and odd input.
/// </summary>
public sealed class SearchPageTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IDocument> SearchAsync(string query, string extra = "")
    {
        var (response, page) = await _factory.CreateClient().GetPageAsync("/suche?q=" + Uri.EscapeDataString(query) + extra);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return page;
    }

    private static IReadOnlyList<string> Titles(IDocument page) => page.Texts(".search-result__title");

    private async Task<int> PublishAsync(string title, string body, DateOnly date, string teaser = "", string[]? regions = null, ArticleAction action = ArticleAction.Publish, DateTime? publishAt = null)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>();
        var regionIds = await db.Regions.Where(r => (regions ?? Array.Empty<string>()).Contains(r.Slug)).Select(r => r.Id).ToListAsync(Ct);
        var result = await scope.ServiceProvider.GetRequiredService<ArticleEditor>().SaveAsync(
            null, new ArticleInput(title, null, teaser, body, null, regionIds, null, date, publishAt, Guid.Empty), action, "test", Ct);
        return Assert.IsType<ArticleSaveResult.Saved>(result).Id;
    }

    private async Task<ArticleSaveResult> ActAsync(int id, ArticleAction action)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>();
        var a = await db.Articles.AsNoTracking().Include(x => x.Regions).SingleAsync(x => x.Id == id, Ct);
        return await scope.ServiceProvider.GetRequiredService<ArticleEditor>().SaveAsync(
            id, new ArticleInput(a.Title, a.Slug, a.Teaser, a.Body, null, a.Regions.Select(r => r.Id).ToList(), null, a.Date, a.PublishedAtUtc, a.Version), action, "test", Ct);
    }

    [Fact]
    public async Task Ranking_TitleHitsFirst_ThenNewestFirst()
    {
        await PublishAsync("Neuer Bericht", "Im Text kommt das Wort Quartiersarbeit vor.", new DateOnly(2026, 3, 1));
        await PublishAsync("Quartiersarbeit in Zwickau", "Älterer Beitrag mit dem Wort im Titel.", new DateOnly(2024, 1, 15));
        await PublishAsync("Neuester Bericht", "Auch hier: Quartiersarbeit, nur im Text.", new DateOnly(2026, 3, 5));
        await PublishAsync("Quartiersarbeit in Plauen", "Noch ein Titeltreffer, neuer als Zwickau.", new DateOnly(2025, 6, 1));

        var page = await SearchAsync("quartiersarbeit");

        Assert.Equal(["Quartiersarbeit in Plauen", "Quartiersarbeit in Zwickau", "Neuester Bericht", "Neuer Bericht"], Titles(page));
        Assert.Equal("4 Treffer für „quartiersarbeit“", page.Text(".result-count"));
        Assert.Equal("Quartiersarbeit", page.QuerySelector(".search-result__title mark")?.TextContent);
        Assert.Contains("Neuester Bericht", page.QuerySelectorAll(".search-result__title a").Select(a => a.TextContent), StringComparer.Ordinal);
        // Result pages stay indexable (Lighthouse SEO 100 on the search page, issue 9); the sitemap does not list them.
        Assert.Null(page.QuerySelector("meta[name=robots]"));
    }

    [Theory]
    [InlineData("Präventionsrat")]
    [InlineData("praeventionsrat")]
    [InlineData("PRÄVENTIONSRAT")]
    [InlineData("Präventionsräte")]
    public async Task DemoContent_IsIndexedAtStart_AndFoundWhateverTheSpellingOrWordForm(string query)
    {
        var page = await SearchAsync(query);

        // The demo article with "Präventionsräte" in its title, and the Freiberg report that speaks of a "Präventionsrat".
        Assert.Equal("Kommunale Präventionsräte: Was eine Gründung braucht", Titles(page)[0]);
        Assert.Contains(Titles(page), t => t.Contains("Freiberg", StringComparison.Ordinal));
        Assert.Contains(page.QuerySelectorAll(".search-result__snippet mark").Select(m => m.TextContent), m => m.StartsWith("Präventionsrat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeveralWords_AllMustOccur()
    {
        await PublishAsync("Kinderschutz in Bautzen", "Ein Bericht über Kinderschutz.", new DateOnly(2025, 1, 1));
        await PublishAsync("Kinderschutz in Görlitz", "Ein weiterer Bericht über Netzwerke.", new DateOnly(2025, 2, 1));

        Assert.Equal(["Kinderschutz in Görlitz"], Titles(await SearchAsync("kinderschutz netzwerk")));
        Assert.Equal(["Kinderschutz in Bautzen"], Titles(await SearchAsync("Bautzen, Kinderschutz!")));
        Assert.Equal("Keine Treffer für „kinderschutz zauberei“", (await SearchAsync("kinderschutz zauberei")).Text(".result-count"));
    }

    [Fact]
    public async Task TitleWithMarkup_IsEncoded_NeverRunAsHtml()
    {
        await PublishAsync("<script>alert(1)</script> Zaubertrick <b>fett</b>", "Text mit <img src=x onerror=alert(2)> Zaubertrick.", new DateOnly(2025, 1, 1));

        var response = await _factory.CreateClient().GetAsync(new Uri("/suche?q=zaubertrick", UriKind.Relative), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Zaubertrick</mark> &lt;b&gt;fett&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>fett", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DraftsScheduledAndDeleted_AreNotFound_UntilPublic()
    {
        // Demo: a draft article and one scheduled ten days ahead.
        Assert.DoesNotContain("Bericht vom Fachtag (Entwurf)", Titles(await SearchAsync("Entwurf")));
        Assert.DoesNotContain("Ausblick auf das kommende Jahr", Titles(await SearchAsync("Ausblick")));
        await PublishAsync("Geheimplan Entwurf", "Noch nicht fertig.", new DateOnly(2026, 3, 1), action: ArticleAction.Save);
        Assert.Empty(Titles(await SearchAsync("Geheimplan")));

        _factory.Time.Advance(TimeSpan.FromDays(11));
        Assert.Equal("Ausblick auf das kommende Jahr", Titles(await SearchAsync("ausblick"))[0]);

        var id = await PublishAsync("Rückzugsbericht", "Wird gleich zurückgezogen.", new DateOnly(2026, 3, 1));
        Assert.Single(Titles(await SearchAsync("Rückzugsbericht")));
        Assert.IsType<ArticleSaveResult.Saved>(await ActAsync(id, ArticleAction.Unpublish));
        Assert.Empty(Titles(await SearchAsync("Rückzugsbericht")));

        Assert.IsType<ArticleSaveResult.Saved>(await ActAsync(id, ArticleAction.Publish));
        Assert.Single(Titles(await SearchAsync("Rückzugsbericht")));
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ArticleEditor>().MoveToTrashAsync(id, Ct);
        }

        Assert.Empty(Titles(await SearchAsync("Rückzugsbericht")));
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ArticleEditor>().RestoreFromTrashAsync(id, Ct);
        }

        Assert.Single(Titles(await SearchAsync("Rückzugsbericht")));
    }

    [Fact]
    public async Task ChangedText_IsFoundByItsNewWords_AfterPublishingThePendingVersion()
    {
        var id = await PublishAsync("Sommerfest der Prävention", "Alter Text über Grillen.", new DateOnly(2026, 3, 1));
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>();
            var a = await db.Articles.AsNoTracking().SingleAsync(x => x.Id == id, Ct);
            var editor = scope.ServiceProvider.GetRequiredService<ArticleEditor>();
            var staged = await editor.SaveAsync(id, new ArticleInput(a.Title, a.Slug, "", "Neuer Text über Stockbrot.", null, [], null, a.Date, a.PublishedAtUtc, a.Version), ArticleAction.Save, "test", Ct);
            Assert.IsType<ArticleSaveResult.Saved>(staged);
        }

        // A pending version is not public: readers (and the search) still see the old text.
        Assert.Single(Titles(await SearchAsync("grillen")));
        Assert.Empty(Titles(await SearchAsync("stockbrot")));

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>();
            var a = await db.Articles.AsNoTracking().SingleAsync(x => x.Id == id, Ct);
            var published = await scope.ServiceProvider.GetRequiredService<ArticleEditor>().SaveAsync(id, new ArticleInput(a.Title, a.Slug, "", a.PendingBody!, null, [], null, a.Date, a.PublishedAtUtc, a.Version), ArticleAction.Publish, "test", Ct);
            Assert.IsType<ArticleSaveResult.Saved>(published);
        }

        Assert.Empty(Titles(await SearchAsync("grillen")));
        Assert.Single(Titles(await SearchAsync("stockbrot")));
    }

    [Fact]
    public async Task Events_AreFoundByVenueAndProgram_NotWhileDraft_AndFilteredByType()
    {
        int eventId;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>();
            var region = await db.Regions.Where(r => r.Slug == "dresden").Select(r => r.Id).SingleAsync(Ct);
            var editor = scope.ServiceProvider.GetRequiredService<EventEditor>();
            var start = new DateTime(2026, 5, 12, 7, 0, 0, DateTimeKind.Utc);
            var saved = await editor.SaveAsync(null, new EventInput(
                "Fachtag Jugendbeteiligung", null, EventKind.Fachtag, start, start.AddHours(6), "Kulturpalast Hechtviertel", "Schloßstraße 2", "01067", "Dresden",
                null, "LPR", "Fachkräfte", "Ein Tag zur Beteiligung.", "Beschreibung.", [region], EventStatus.Draft, null, false, null, null, true, true, null, Guid.Empty), Ct);
            eventId = Assert.IsType<EventSaveResult.Saved>(saved).Id;
        }

        Assert.Empty(Titles(await SearchAsync("Hechtviertel")));

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LprEvents.Web.Data.LprEventsDbContext>();
            var e = await db.Events.AsNoTracking().Include(x => x.Regions).SingleAsync(x => x.Id == eventId, Ct);
            var editor = scope.ServiceProvider.GetRequiredService<EventEditor>();
            Assert.IsType<EventSaveResult.Saved>(await editor.SaveAsync(eventId, new EventInput(
                e.Title, e.Slug, e.Kind, e.StartsAtUtc, e.EndsAtUtc, e.VenueName, e.VenueStreet, e.VenuePostcode, e.VenueCity, null, e.Organisers, e.TargetAudience,
                e.Summary, e.Description, e.Regions.Select(r => r.Id).ToList(), EventStatus.Published, null, false, null, null, true, true, null, e.Version), Ct));
            Assert.True(await editor.AddSessionAsync(eventId, new SessionInput(new TimeOnly(10, 0), new TimeOnly(11, 0), "Workshop Schülerhaushalt", SessionKind.Workshop, "Frau Beispiel", "Raum 1", "", null, null), Ct));
        }

        var byVenue = await SearchAsync("hechtviertel");
        Assert.Equal(["Fachtag Jugendbeteiligung"], Titles(byVenue));
        Assert.Equal("/veranstaltungen/" + await SlugAsync(eventId), byVenue.QuerySelector(".search-result__title a")?.GetAttribute("href"));
        Assert.Contains("Veranstaltung", byVenue.Text(".search-result .badge"), StringComparison.Ordinal);
        Assert.Equal(["Fachtag Jugendbeteiligung"], Titles(await SearchAsync("Schuelerhaushalt")));

        // Type and region filters.
        await PublishAsync("Hechtviertel im Wandel", "Ein Beitrag.", new DateOnly(2026, 1, 1), regions: ["leipzig"]);
        Assert.Equal(2, Titles(await SearchAsync("hechtviertel")).Count);
        Assert.Equal(["Fachtag Jugendbeteiligung"], Titles(await SearchAsync("hechtviertel", "&typ=veranstaltungen")));
        Assert.Equal(["Hechtviertel im Wandel"], Titles(await SearchAsync("hechtviertel", "&typ=beitraege")));
        Assert.Equal(["Hechtviertel im Wandel"], Titles(await SearchAsync("hechtviertel", "&region=leipzig")));
        Assert.Equal(["Fachtag Jugendbeteiligung"], Titles(await SearchAsync("hechtviertel", "&region=dresden")));
        var none = await SearchAsync("hechtviertel", "&region=dresden&typ=beitraege");
        Assert.Empty(Titles(none));
        Assert.Equal("/suche?q=hechtviertel", none.QuerySelector("main a[href^='/suche']")?.GetAttribute("href"));

        // Unknown filter values are ignored, not an error.
        Assert.Equal(2, Titles(await SearchAsync("hechtviertel", "&region=atlantis&typ=alles")).Count);
    }

    private async Task<string> SlugAsync(int eventId)
    {
        await using var scope = _factory.CreateDbScope();
        return await scope.Db.Events.Where(e => e.Id == eventId).Select(e => e.Slug).SingleAsync(Ct);
    }

    [Fact]
    public async Task Paging_TenPerPage_EveryPageReachable_BeyondIsNotFound()
    {
        for (var i = 1; i <= 12; i++)
        {
            await PublishAsync($"Seitentest Nummer {i}", "Text.", new DateOnly(2025, 1, i));
        }

        var first = await SearchAsync("seitentest");
        Assert.Equal("12 Treffer für „seitentest“", first.Text(".result-count"));
        Assert.Equal(10, Titles(first).Count);
        Assert.Equal("Seitentest Nummer 12", Titles(first)[0]);
        var next = first.QuerySelector(".paging a[rel=next]")?.GetAttribute("href");
        Assert.Equal("?q=seitentest&seite=2", next);

        var second = await SearchAsync("seitentest", "&seite=2");
        Assert.Equal(["Seitentest Nummer 2", "Seitentest Nummer 1"], Titles(second));

        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/suche?q=seitentest&seite=3", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/suche?q=seitentest&seite=abc", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/suche?q=seitentest&seite=99999999999", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task EmptyQuery_ShowsOnlyTheForm_AndEveryPageHasTheHeaderSearch()
    {
        var (response, page) = await _factory.CreateClient().GetPageAsync("/suche");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Suche", page.Text("h1"));
        Assert.Null(page.QuerySelector(".result-count"));
        Assert.Null(page.QuerySelector("meta[name=robots]"));
        Assert.NotNull(page.QuerySelector("main form[method=get][action='/suche'] input[name=q]"));
        Assert.Null(page.QuerySelector("main form input[name=__RequestVerificationToken]"));

        var (_, home) = await _factory.CreateClient().GetPageAsync("/");
        var field = home.QuerySelector("header form[role=search][action='/suche'] input[name=q]");
        Assert.NotNull(field);
        Assert.Equal("Website durchsuchen", home.Text($"label[for='{field!.Id}']"));
    }

    [Theory]
    [InlineData("%00", "Bitte geben Sie mindestens ein Wort")]
    [InlineData("!!!%20...%20%E2%80%93", "Bitte geben Sie mindestens ein Wort")]
    [InlineData("und%20der%20die", "Bitte geben Sie mindestens ein Wort")]
    [InlineData("%ED%A0%80%C0", "Keine Treffer")]
    [InlineData("%F0%9F%98%80%20Pr%C3%A4ventionsrat", "Treffer für")]
    [InlineData("a%27%20OR%201%3D1--", "Keine Treffer")]
    public async Task OddInput_GetsAGermanAnswer_NeverAnError(string rawQuery, string expected)
    {
        var (response, page) = await _factory.CreateClient().GetPageAsync("/suche?q=" + rawQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, page.Text("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VeryLongQuery_IsRefusedWithAMessage_AndManyWordsAreCut()
    {
        var tooLong = await SearchAsync(new string('x', 5000));
        Assert.Contains("höchstens 200 Zeichen", tooLong.Text("[role=alert]"), StringComparison.Ordinal);

        var many = await SearchAsync("Präventionsrat eins zwei drei vier fünf sechs sieben acht neun");
        Assert.Contains("nicht berücksichtigt: acht, neun", many.Text("main"), StringComparison.Ordinal);
    }
}

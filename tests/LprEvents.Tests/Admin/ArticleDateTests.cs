using System.Net;
using LprEvents.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Admin;

/// <summary>An article carries its own date: shown to readers, used for ordering and the year filter, kept by publishing.</summary>
public sealed class ArticleDateTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task NewArticle_DefaultsToToday()
    {
        var editor = await AdminSession.SignInAsync(_factory);

        var (_, page) = await editor.Client.GetPageAsync("/admin/beitraege/neu");

        Assert.Equal("2026-03-10", page.QuerySelector("#Date")?.GetAttribute("value"));
        Assert.Equal("date", page.QuerySelector("#Date")?.GetAttribute("type"));
    }

    [Fact]
    public async Task ReportOfAnOldMeeting_ShowsAndSortsByItsOwnDate_AndPublishingKeepsIt()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var fields = new Dictionary<string, string>
        {
            ["Title"] = "Rückblick: Vernetzungstreffen Zwickau",
            ["Teaser"] = "Ein Bericht, der spät geschrieben wurde.",
            ["Body"] = "Die Fachleute aus Zwickau trafen sich im Rathaus.",
            ["Date"] = "2023-04-19",
            ["aktion"] = "veroeffentlichen",
        };

        var published = await editor.PostFormAsync("/admin/beitraege/neu", fields, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        var editPath = published.Headers.Location!.OriginalString;

        var anonymous = _factory.CreateClient();
        var (_, article) = await anonymous.GetPageAsync("/aktuelles/rueckblick-vernetzungstreffen-zwickau");
        Assert.Equal("19.04.2023", article.Text(".article__meta time"));
        Assert.Contains("\"datePublished\":\"2023-04-19\"", article.QuerySelector("script[type='application/ld+json']")!.TextContent, StringComparison.Ordinal);
        var (_, list) = await anonymous.GetPageAsync("/aktuelles?jahr=2023");
        var titles = list.Texts(".card__title").ToList();
        // The Freiberg report (20.04.2023) is newer than this one although it went online years earlier.
        Assert.True(titles.IndexOf("Vernetzungstreffen in Freiberg: Drei Regionen, ein Netzwerk") < titles.IndexOf("Rückblick: Vernetzungstreffen Zwickau"), string.Join(" | ", titles));
        Assert.Contains("Rückblick: Vernetzungstreffen Zwickau", titles);
        var (_, thisYear) = await anonymous.GetPageAsync("/aktuelles?jahr=2026");
        Assert.DoesNotContain("Rückblick: Vernetzungstreffen Zwickau", thisYear.Texts(".card__title"));

        var question = await editor.PostFormAsync(editPath, new() { ["aktion"] = "zurueckziehen" }, "#artikel-formular");
        var questionPage = Html.Parse(await question.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var unpublished = await editor.PostAsync(editPath, questionPage, new() { ["aktion"] = "zurueckziehen" }, questionPage.QuerySelector("main form"));
        Assert.Equal(HttpStatusCode.Redirect, unpublished.StatusCode);
        _factory.Time.Advance(TimeSpan.FromHours(2));
        var again = await editor.PostFormAsync(editPath, new() { ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        await using var scope = _factory.CreateDbScope();
        var stored = await scope.Db.Articles.SingleAsync(a => a.Slug == "rueckblick-vernetzungstreffen-zwickau", TestContext.Current.CancellationToken);
        Assert.Equal(new DateOnly(2023, 4, 19), stored.Date);
        Assert.Equal(new DateTime(2026, 3, 10, 11, 0, 0, DateTimeKind.Utc), stored.PublishedAtUtc);
    }

    [Theory]
    [InlineData("", "Bitte geben Sie das Datum des Beitrags an.")]
    [InlineData("19.04.2023x", "Bitte geben Sie das Datum als Tag, Monat und Jahr an, z. B. 20.04.2023.")]
    public async Task MissingOrGarbledDate_IsExplainedNextToTheFieldAndNothingIsLost(string date, string message)
    {
        var editor = await AdminSession.SignInAsync(_factory);

        var response = await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Ohne Datum", ["Body"] = "Text bleibt.", ["Date"] = date, ["aktion"] = "speichern" }, "#artikel-formular");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal($"Fehler: {message}", page.Text("#Date-fehler"));
        Assert.Equal("Text bleibt.", page.QuerySelector("#Body")?.TextContent.Trim());
    }

    [Theory]
    [InlineData("FACHTAG")]
    [InlineData("grossveranstaltungen")]
    [InlineData("großveranstaltungen")]
    [InlineData("Grossveranstaltungen")]
    public async Task ArticleSearch_IgnoresCaseAndUmlautSpelling(string search)
    {
        var editor = await AdminSession.SignInAsync(_factory);
        await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Fachtag Großveranstaltungen: Nachlese", ["Body"] = "Text.", ["aktion"] = "speichern" }, "#artikel-formular");

        var (_, list) = await editor.Client.GetPageAsync($"/admin/beitraege?q={Uri.EscapeDataString(search)}");

        Assert.Contains("Fachtag Großveranstaltungen: Nachlese", list.Texts("table tbody td a"));
        Assert.DoesNotContain("Projekt-Canvas", list.Text("table"), StringComparison.Ordinal);
    }
}

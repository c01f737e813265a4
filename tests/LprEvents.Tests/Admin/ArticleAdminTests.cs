using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Admin;

public sealed class ArticleAdminTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private async Task<int> ImageWithoutAltAsync()
    {
        await using var scope = _factory.CreateDbScope();
        var image = await scope.Db.MediaAssets.FirstAsync(TestContext.Current.CancellationToken);
        image.AltText = "";
        await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return image.Id;
    }

    [Fact]
    public async Task Editor_WritesPreviewsIsStoppedByTheGateThenPublishes_AndCitizensSeeIt()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var imageId = await ImageWithoutAltAsync();
        var fields = new Dictionary<string, string>
        {
            ["Title"] = "Fachtag in Leipzig: Sicherheit gemeinsam planen",
            ["Teaser"] = "Rund dreißig Fachleute tauschten sich aus.",
            ["Body"] = "# Ergebnisse\n\nDie **Abstimmung** zwischen Ordnungsamt und Polizei war zentral.\n\nMehr dazu [hier](/veranstaltungen).",
            ["LeadImageId"] = imageId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var preview = await editor.PostFormAsync("/admin/beitraege/neu", new(fields) { ["aktion"] = "vorschau" }, "#artikel-formular");
        var previewPage = Html.Parse(await preview.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Ergebnisse", previewPage.Text("#vorschau h2"));
        Assert.Equal("Abstimmung", previewPage.Text("#vorschau strong"));

        var refused = await editor.PostFormAsync("/admin/beitraege/neu", new(fields) { ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        var refusedPage = Html.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problems = refusedPage.Texts(".problems li");
        Assert.Contains(problems, p => p.StartsWith("Das Titelbild hat keinen Alternativtext", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Der Linktext „hier“ sagt nicht", StringComparison.Ordinal));
        Assert.Equal(fields["Body"], refusedPage.QuerySelector("#Body")!.TextContent.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\n'));
        await using (var scope = _factory.CreateDbScope())
        {
            Assert.False(await scope.Db.Articles.AnyAsync(a => a.Title == fields["Title"], TestContext.Current.CancellationToken));
            var image = await scope.Db.MediaAssets.SingleAsync(m => m.Id == imageId, TestContext.Current.CancellationToken);
            image.AltText = "Grafik mit verbundenen Punkten";
            await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        fields["Body"] = "# Ergebnisse\n\nDie **Abstimmung** war zentral. Mehr im [Programm des Fachtags](/veranstaltungen).";
        var published = await editor.PostFormAsync("/admin/beitraege/neu", new(fields) { ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var anonymous = _factory.CreateClient();
        var (response, page) = await anonymous.GetPageAsync("/aktuelles/fachtag-in-leipzig-sicherheit-gemeinsam-planen");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fields["Title"], page.Text("h1"));
        Assert.Equal("Grafik mit verbundenen Punkten", page.QuerySelector(".lead-image img")?.GetAttribute("alt"));
        await using var check = _factory.CreateDbScope();
        Assert.True(await check.Db.AuditLog.AnyAsync(a => a.Action == "published" && a.UserName == editor.Email, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Schedule_AndUnpublish_ControlWhatCitizensSee()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var when = LprEvents.Web.Services.BerlinTime.ToLocal(_factory.Time.GetUtcNow().UtcDateTime.AddDays(2));
        var fields = new Dictionary<string, string>
        {
            ["Title"] = "Einladung zum Herbsttreffen",
            ["Body"] = "Wir laden herzlich ein.",
            ["PublishAt"] = when.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture),
            ["aktion"] = "planen",
        };
        var scheduled = await editor.PostFormAsync("/admin/beitraege/neu", fields, "#artikel-formular");
        var editPath = scheduled.Headers.Location!.OriginalString;
        var anonymous = _factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/aktuelles/einladung-zum-herbsttreffen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        _factory.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/aktuelles/einladung-zum-herbsttreffen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        // Two days later the editor signs in again (the sign-in lasts eight hours).
        editor = await AdminSession.SignInAsync(_factory);
        var question = await editor.PostFormAsync(editPath, new() { ["aktion"] = "zurueckziehen" }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.OK, question.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/aktuelles/einladung-zum-herbsttreffen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        var questionPage = Html.Parse(await question.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var unpublished = await editor.PostAsync(editPath, questionPage, new() { ["aktion"] = "zurueckziehen" }, questionPage.QuerySelector("main form"));
        Assert.Equal(HttpStatusCode.Redirect, unpublished.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/aktuelles/einladung-zum-herbsttreffen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task TwoEditorsSavingTheSameVersion_TheSecondSeesBothVersionsAndLosesNothing()
    {
        var first = await AdminSession.SignInAsync(_factory);
        var second = await AdminSession.SignInAsync(_factory);
        int id;
        await using (var scope = _factory.CreateDbScope())
        {
            id = await scope.Db.Articles.Where(a => a.Slug == "projekt-canvas-praeventionsprojekte-planen").Select(a => a.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        var (_, pageOfSecond) = await second.Client.GetPageAsync($"/admin/beitraege/{id}");
        var saved = await first.PostFormAsync($"/admin/beitraege/{id}", new() { ["Body"] = "Fassung der ersten Redakteurin.", ["aktion"] = "speichern" }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var conflict = await second.PostAsync($"/admin/beitraege/{id}", pageOfSecond, new() { ["Body"] = "Fassung des zweiten Redakteurs.", ["aktion"] = "speichern" }, pageOfSecond.QuerySelector("#artikel-formular"));
        var conflictPage = Html.Parse(await conflict.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("Fassung des zweiten Redakteurs.", conflictPage.QuerySelector("#Body")!.TextContent.Trim());
        Assert.Contains("Fassung der ersten Redakteurin.", conflictPage.Text(".markdown-source"), StringComparison.Ordinal);
        Assert.Equal(["[gestrichen:] der ersten Redakteurin [Ende gestrichen]"], conflictPage.Texts(".diff del"));
        Assert.Equal(["[eingefügt:] des zweiten Redakteurs [Ende eingefügt]"], conflictPage.Texts(".diff ins"));
        Assert.Equal("unterstrichen = steht nur in Ihrer Fassung durchgestrichen = stand nur in der gespeicherten Fassung", conflictPage.Text(".diff-legend"));

        var resolved = await second.PostAsync($"/admin/beitraege/{id}", conflictPage, [], conflictPage.QuerySelector("main form"));
        Assert.Equal(HttpStatusCode.Redirect, resolved.StatusCode);
        await using var check = _factory.CreateDbScope();
        // The article is live, so both saves went into its pending version (ADR 0020).
        Assert.Equal("Fassung des zweiten Redakteurs.", (await check.Db.Articles.SingleAsync(a => a.Id == id, TestContext.Current.CancellationToken)).PendingBody);
        Assert.True(await check.Db.ArticleRevisions.AnyAsync(r => r.ArticleId == id && r.Body == "Fassung der ersten Redakteurin.", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Revisions_ShowTheDifferenceAndRestoreAnOlderText()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        int id;
        string original;
        await using (var scope = _factory.CreateDbScope())
        {
            var article = await scope.Db.Articles.SingleAsync(a => a.Slug == "fortbildung-vollzugsdienst-themen", TestContext.Current.CancellationToken);
            (id, original) = (article.Id, article.Body);
        }

        await editor.PostFormAsync($"/admin/beitraege/{id}", new() { ["Body"] = "Ganz neuer Text.", ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        var (_, revisions) = await editor.Client.GetPageAsync($"/admin/beitraege/{id}/versionen");

        Assert.Contains(revisions.Texts(".diff ins"), t => t.Contains("neuer", StringComparison.Ordinal));
        Assert.NotEmpty(revisions.QuerySelectorAll(".diff del"));
        Assert.Equal("unterstrichen = steht nur in der aktuellen Fassung durchgestrichen = stand nur in der früheren Fassung", revisions.Text(".diff-legend"));
        var restore = await editor.PostFormAsync($"/admin/beitraege/{id}/versionen", [], "form[action$='/wiederherstellen']");
        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        await using var check = _factory.CreateDbScope();
        // The article is live, so the older text waits as its pending version (ADR 0020).
        Assert.Equal(original, (await check.Db.Articles.SingleAsync(a => a.Id == id, TestContext.Current.CancellationToken)).PendingBody);
    }

    [Theory]
    [InlineData("## Eins\n\n#### Drei", "überspringt eine Ebene")]
    [InlineData("[Klicken Sie hier](https://example.org)", "Der Linktext „Klicken Sie hier“")]
    [InlineData("[mehr](https://example.org)", "Der Linktext „mehr“")]
    [InlineData("![](/medien/foto-480.jpg)", "hat keinen Alternativtext")]
    public void Gate_RefusesInaccessibleText(string body, string expected)
    {
        var problems = LprEvents.Web.Services.Publishing.PublishingGate.Check("Titel", body, null, null, hasLeadImage: false);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("![Foto](https://evil.example/x.png)", "https://evil.example/x.png")]
    [InlineData("![Foto](http://evil.example/x.png)", "http://evil.example/x.png")]
    [InlineData("![Foto](HTTPS://EVIL.EXAMPLE/x.png)", "HTTPS://EVIL.EXAMPLE/x.png")]
    [InlineData("![Foto](//evil.example/x.png)", "//evil.example/x.png")]
    [InlineData("![Foto](  //evil.example/x.png  )", "//evil.example/x.png")]
    [InlineData("![Foto](</ /evil.example/x.png>)", "/ /evil.example/x.png")]
    [InlineData("![Foto](/\\evil.example/x.png)", "/\\evil.example/x.png")]
    [InlineData("![Foto](data:image/png;base64,iVBORw0KGgo=)", "data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("![Foto](https://veranstaltungen.example@evil.example/medien/x.png)", "https://veranstaltungen.example@evil.example/medien/x.png")]
    [InlineData("![Foto][bild]\n\n[bild]: https://evil.example/x.png", "https://evil.example/x.png")]
    [InlineData("![Foto](/bilder/logo.png)", "/bilder/logo.png")]
    public void Gate_RefusesImagesFromOutsideTheMediaLibrary_NamingTheAddress(string body, string address)
    {
        var problems = LprEvents.Web.Services.Publishing.PublishingGate.Check("Titel", body, null, null, hasLeadImage: false, publicBaseUrl: "https://veranstaltungen.example");

        var problem = Assert.Single(problems);
        Assert.Equal($"Das Bild „{address}“ liegt nicht in der Medienverwaltung des Portals. Laden Sie es unter „Medien“ hoch und fügen Sie es von dort ein; Bilder von anderen Servern werden nicht angezeigt.", problem);
    }

    [Theory]
    [InlineData("![Gruppenfoto](/medien/a-480.jpg)")]
    [InlineData("![Gruppenfoto](https://veranstaltungen.example/medien/a-480.jpg)")]
    public void Gate_AcceptsImagesFromTheMediaLibrary(string body)
    {
        var problems = LprEvents.Web.Services.Publishing.PublishingGate.Check("Titel", body, null, null, hasLeadImage: false, publicBaseUrl: "https://veranstaltungen.example");

        Assert.Empty(problems);
    }

    [Fact]
    public async Task PublishingAnArticleWithAForeignImage_IsRefusedWithTheAddress()
    {
        var editor = await AdminSession.SignInAsync(_factory);

        var response = await editor.PostFormAsync("/admin/beitraege/neu", new()
        {
            ["Title"] = "Rückblick mit fremdem Bild",
            ["Body"] = "Schöner Tag.\n\n![Gruppenfoto](https://bilder.example/gruppe.jpg)",
            ["aktion"] = "veroeffentlichen",
        }, "#artikel-formular");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Das Bild „https://bilder.example/gruppe.jpg“ liegt nicht in der Medienverwaltung des Portals.", page.BodyText(), StringComparison.Ordinal);
        await using var scope = _factory.CreateDbScope();
        Assert.False(await scope.Db.Articles.AnyAsync(a => a.Title == "Rückblick mit fremdem Bild", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Scheduling_ForATimeThatDoesNotExistBecauseOfTheClockChange_ExplainsItNextToTheField()
    {
        var editor = await AdminSession.SignInAsync(_factory);

        var response = await editor.PostFormAsync("/admin/beitraege/neu", new()
        {
            ["Title"] = "Früh am Sonntag",
            ["Body"] = "Ein Beitrag für die Nacht der Zeitumstellung.",
            ["PublishAt"] = "2026-03-29T02:30",
            ["aktion"] = "planen",
        }, "#artikel-formular");
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
            "Fehler: Diese Uhrzeit gibt es am 29.03.2026 wegen der Zeitumstellung nicht: Die Uhren springen um 02:00 Uhr auf 03:00 Uhr vor. Bitte wählen Sie eine andere Uhrzeit.",
            page.Text("#PublishAt-fehler"));
        Assert.Equal("2026-03-29T02:30", page.QuerySelector("#PublishAt")?.GetAttribute("value"));
        Assert.Equal("Früh am Sonntag", page.QuerySelector("#Title")?.GetAttribute("value"));
        await using var scope = _factory.CreateDbScope();
        Assert.False(await scope.Db.Articles.AnyAsync(a => a.Title == "Früh am Sonntag", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Scheduling_ForATimeThatOccursTwice_TakesTheFirstOccurrence()
    {
        var editor = await AdminSession.SignInAsync(_factory);

        var response = await editor.PostFormAsync("/admin/beitraege/neu", new()
        {
            ["Title"] = "Spät im Oktober",
            ["Body"] = "Ein Beitrag für die Nacht, in der die Uhren zurückgestellt werden.",
            ["PublishAt"] = "2026-10-25T02:30",
            ["aktion"] = "planen",
        }, "#artikel-formular");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = _factory.CreateDbScope();
        var article = await scope.Db.Articles.SingleAsync(a => a.Title == "Spät im Oktober", TestContext.Current.CancellationToken);
        Assert.Equal(ArticleStatus.Scheduled, article.Status);
        Assert.Equal(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc), article.PublishedAtUtc);
    }

    [Fact]
    public void Gate_AcceptsAGoodText()
    {
        var problems = LprEvents.Web.Services.Publishing.PublishingGate.Check(
            "Titel", "# Rückblick\n\nText mit [Programm des Fachtags](/veranstaltungen).\n\n## Details\n\n![Gruppenfoto im Saal](/medien/a-480.jpg)", "Alt", "© LPR", hasLeadImage: true);

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Unpublish_AsksFirstWithTheConsequence_AndTheArticleStaysOnlineUntilConfirmed()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var published = await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Rückblick Frühjahrstreffen", ["Body"] = "Es war ein gutes Treffen.", ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        var editPath = published.Headers.Location!.OriginalString;
        var anonymous = _factory.CreateClient();

        var question = await editor.PostFormAsync(editPath, new() { ["aktion"] = "zurueckziehen", ["Body"] = "Es war ein sehr gutes Treffen." }, "#artikel-formular");
        var page = Html.Parse(await question.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal("Beitrag zurückziehen?", page.Text("h1"));
        Assert.Equal(
            "Der Beitrag „Rückblick Frühjahrstreffen“ verschwindet sofort von der Website und aus allen Listen; wer /aktuelles/rueckblick-fruehjahrstreffen aufruft, sieht dann „Seite nicht gefunden“.",
            page.Text("#folge"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/aktuelles/rueckblick-fruehjahrstreffen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        // "Nein" brings the editor back with the text as typed, still online.
        var back = await editor.PostAsync(editPath, page, new() { ["aktion"] = "vorschau" }, page.QuerySelector("main form"));
        var editorPage = Html.Parse(await back.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Es war ein sehr gutes Treffen.", editorPage.QuerySelector("#Body")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/aktuelles/rueckblick-fruehjahrstreffen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        var confirmed = await editor.PostAsync(editPath, page, new() { ["aktion"] = "zurueckziehen" }, page.QuerySelector("main form"));

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/aktuelles/rueckblick-fruehjahrstreffen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Revisions_MarkOnlyTheChangedWordNotTheWholeParagraph()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var created = await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Treffen im Frühjahr", ["Body"] = "Das Treffen findet in Freiberg statt; alle Kommunen sind eingeladen.", ["aktion"] = "speichern" }, "#artikel-formular");
        var editPath = created.Headers.Location!.OriginalString;
        await editor.PostFormAsync(editPath, new() { ["Body"] = "Das Treffen findet in Chemnitz statt; alle Kommunen sind eingeladen.", ["aktion"] = "speichern" }, "#artikel-formular");

        var (_, revisions) = await editor.Client.GetPageAsync($"{editPath}/versionen");

        Assert.Equal(["[gestrichen:] Freiberg [Ende gestrichen]"], revisions.Texts(".diff del"));
        Assert.Equal(["[eingefügt:] Chemnitz [Ende eingefügt]"], revisions.Texts(".diff ins"));
        Assert.Contains("Das Treffen findet in", revisions.Text(".diff"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondReportOnTheSameEvent_EditorIsToldAboutTheFirst_ButMayStillPublish()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        int eventId;
        await using (var scope = _factory.CreateDbScope())
        {
            eventId = await scope.Db.Events.Where(e => !scope.Db.Articles.Any(a => a.EventId == e.Id)).OrderBy(e => e.Id).Select(e => e.Id).FirstAsync(TestContext.Current.CancellationToken);
        }

        var eventField = eventId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var first = await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Erster Bericht vom Treffen", ["Body"] = "Es war gut.", ["EventId"] = eventField, ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var (_, firstPage) = await editor.Client.GetPageAsync(first.Headers.Location!.OriginalString);
        Assert.Null(firstPage.QuerySelector("#schon-berichtet"));

        var second = await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Noch ein Bericht vom Treffen", ["Body"] = "Es war sehr gut.", ["EventId"] = eventField, ["aktion"] = "speichern" }, "#artikel-formular");
        var secondPath = second.Headers.Location!.OriginalString;
        var (_, page) = await editor.Client.GetPageAsync(secondPath);

        var warning = page.QuerySelector("#schon-berichtet");
        Assert.NotNull(warning);
        Assert.StartsWith("Zu dieser Veranstaltung gibt es schon einen Bericht: „Erster Bericht vom Treffen“ – veröffentlicht am", Html.Normalise(warning.TextContent), StringComparison.Ordinal);
        Assert.Equal(first.Headers.Location!.OriginalString, warning.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("schon-berichtet", page.QuerySelector("button[value=veroeffentlichen]")!.GetAttribute("aria-describedby"));

        var published = await editor.PostFormAsync(secondPath, new() { ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().GetAsync(new Uri("/aktuelles/noch-ein-bericht-vom-treffen", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }
}

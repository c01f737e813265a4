using System.Net;
using System.Text.RegularExpressions;
using LprEvents.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Admin;

/// <summary>Editing a live article saves a pending version ("geänderte Fassung"); readers see it only after "Änderungen veröffentlichen".</summary>
public sealed partial class PendingVersionTests : IDisposable
{
    private const string Slug = "projekt-canvas-praeventionsprojekte-planen";
    private const string PublishedTitle = "Projekt-Canvas: Präventionsprojekte auf einer Seite planen";
    private const string PendingTitle = "Projekt-Canvas: die überarbeitete Fassung";
    private const string PendingBody = "Dieser Absatz ist neu und noch nicht freigegeben.";

    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private async Task<string> EditPathAsync()
    {
        await using var scope = _factory.CreateDbScope();
        var id = await scope.Db.Articles.Where(a => a.Slug == Slug).Select(a => a.Id).SingleAsync(TestContext.Current.CancellationToken);
        return $"/admin/beitraege/{id}";
    }

    private async Task<ReaderView> ReaderSeesAsync()
    {
        var (response, page) = await _factory.CreateClient().GetPageAsync($"/aktuelles/{Slug}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new ReaderView(page.Text("h1"), page.Text("main"));
    }

    private sealed record ReaderView(string Heading, string Main);

    private async Task<(string EditPath, AdminSession Editor)> SavePendingAsync()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var editPath = await EditPathAsync();
        var saved = await editor.PostFormAsync(editPath, new() { ["Title"] = PendingTitle, ["Body"] = PendingBody, ["aktion"] = "speichern" }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        return (editPath, editor);
    }

    [Fact]
    public async Task SavingALiveArticle_KeepsThePublicPage_UntilÄnderungenVeröffentlichen()
    {
        var (editPath, editor) = await SavePendingAsync();

        var reader = await ReaderSeesAsync();
        Assert.Equal(PublishedTitle, reader.Heading);
        Assert.DoesNotContain(PendingBody, reader.Main, StringComparison.Ordinal);
        var (_, editorPage) = await editor.Client.GetPageAsync(editPath);
        Assert.Equal("Gespeichert als geänderte Fassung – auf der Website gilt weiter die veröffentlichte. „Änderungen veröffentlichen“ schaltet sie frei.", editorPage.Text("[role=status]"));
        Assert.Equal(PendingTitle, editorPage.QuerySelector("#Title")?.GetAttribute("value"));
        Assert.Equal(PendingBody, editorPage.QuerySelector("#Body")?.TextContent.Trim());
        Assert.Contains("Geänderte Fassung wartet", editorPage.Text("#geaenderte-fassung"), StringComparison.Ordinal);
        Assert.NotNull(editorPage.QuerySelector("button[value=verwerfen]"));

        var published = await editor.PostFormAsync(editPath, new() { ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        reader = await ReaderSeesAsync();
        Assert.Equal(PendingTitle, reader.Heading);
        Assert.Contains(PendingBody, reader.Main, StringComparison.Ordinal);
        var (_, after) = await editor.Client.GetPageAsync(editPath);
        Assert.Null(after.QuerySelector("#geaenderte-fassung"));
        var (_, revisions) = await editor.Client.GetPageAsync($"{editPath}/versionen");
        Assert.Contains(PublishedTitle, revisions.Text("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishingThePendingVersion_PassesTheGateFirst()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var editPath = await EditPathAsync();
        await editor.PostFormAsync(editPath, new() { ["Body"] = "[Klicken Sie hier](https://example.org)", ["aktion"] = "speichern" }, "#artikel-formular");

        var refused = await editor.PostFormAsync(editPath, new() { ["aktion"] = "veroeffentlichen" }, "#artikel-formular");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.DoesNotContain("Klicken Sie hier", (await ReaderSeesAsync()).Main, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discard_AsksFirst_ThenTheEditorShowsThePublishedTextAgain()
    {
        var (editPath, editor) = await SavePendingAsync();

        var question = await editor.PostFormAsync(editPath, new() { ["aktion"] = "verwerfen" }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.OK, question.StatusCode);
        var questionPage = Html.Parse(await question.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Änderungen verwerfen?", questionPage.Text("h1"));
        var (_, stillPending) = await editor.Client.GetPageAsync(editPath);
        Assert.Equal(PendingTitle, stillPending.QuerySelector("#Title")?.GetAttribute("value"));

        var discarded = await editor.PostAsync(editPath, questionPage, new() { ["aktion"] = "verwerfen" }, questionPage.QuerySelector("main form"));
        Assert.Equal(HttpStatusCode.Redirect, discarded.StatusCode);

        var (_, page) = await editor.Client.GetPageAsync(editPath);
        Assert.Equal(PublishedTitle, page.QuerySelector("#Title")?.GetAttribute("value"));
        Assert.DoesNotContain(PendingBody, page.QuerySelector("#Body")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#geaenderte-fassung"));
        Assert.Equal(PublishedTitle, (await ReaderSeesAsync()).Heading);
    }

    [Fact]
    public async Task RestoringAnOldRevisionOfALiveArticle_GoesToThePendingVersion()
    {
        var (editPath, editor) = await SavePendingAsync();
        await editor.PostFormAsync(editPath, new() { ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        Assert.Equal(PendingTitle, (await ReaderSeesAsync()).Heading);

        var restored = await editor.PostFormAsync($"{editPath}/versionen", [], "form[action$='/wiederherstellen']");
        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);

        Assert.Equal(PendingTitle, (await ReaderSeesAsync()).Heading);
        var (_, page) = await editor.Client.GetPageAsync(editPath);
        Assert.Equal(PublishedTitle, page.QuerySelector("#Title")?.GetAttribute("value"));
        Assert.Contains("geänderte Fassung", page.Text("[role=status]"), StringComparison.Ordinal);
        await editor.PostFormAsync(editPath, new() { ["aktion"] = "veroeffentlichen" }, "#artikel-formular");
        Assert.Equal(PublishedTitle, (await ReaderSeesAsync()).Heading);
    }

    [Fact]
    public async Task TheListMarksArticlesWithAWaitingPendingVersion()
    {
        var (_, editor) = await SavePendingAsync();

        var (_, list) = await editor.Client.GetPageAsync("/admin/beitraege");

        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(PublishedTitle, StringComparison.Ordinal));
        Assert.Contains("veröffentlicht · geänderte Fassung wartet", Html.Normalise(row.TextContent), StringComparison.Ordinal);
        Assert.Single(list.QuerySelectorAll(".pending-marker"));
    }

    [Fact]
    public async Task PreviewLinkAndFullPreview_ShowThePendingVersion_WhileThePublicPageShowsThePublishedOne()
    {
        var (editPath, editor) = await SavePendingAsync();

        var (_, full) = await editor.Client.GetPageAsync(editPath + "/ansicht");
        Assert.Equal(PendingTitle, full.Text("h1"));
        var created = await editor.PostFormAsync(editPath, [], "form[action$='/vorschau-link']");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var (_, withLink) = await editor.Client.GetPageAsync(editPath);
        var link = PreviewLink().Match(withLink.Text("[role=status]")).Groups["path"].Value;
        var (_, preview) = await _factory.CreateClient().GetPageAsync(link);

        Assert.Equal(PendingTitle, preview.Text("h1"));
        Assert.Contains(PendingBody, preview.Text("main"), StringComparison.Ordinal);
        Assert.Equal(PublishedTitle, (await ReaderSeesAsync()).Heading);
    }

    [Fact]
    public async Task ADraft_StillSavesDirectly()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var created = await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Entwurf ohne Umweg", ["Body"] = "Erste Zeile.", ["aktion"] = "speichern" }, "#artikel-formular");
        var editPath = created.Headers.Location!.OriginalString;

        var saved = await editor.PostFormAsync(editPath, new() { ["Body"] = "Zweite Zeile.", ["aktion"] = "speichern" }, "#artikel-formular");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (_, page) = await editor.Client.GetPageAsync(editPath);
        Assert.Equal("Gespeichert.", page.Text("[role=status]"));
        Assert.Null(page.QuerySelector("#geaenderte-fassung"));
        var (_, full) = await editor.Client.GetPageAsync(editPath + "/ansicht");
        Assert.Contains("Zweite Zeile.", full.Text("main"), StringComparison.Ordinal);
        var (_, list) = await editor.Client.GetPageAsync("/admin/beitraege");
        Assert.Empty(list.QuerySelectorAll(".pending-marker"));
    }

    [Fact]
    public async Task Autosave_OfALiveArticle_FillsThePendingVersion_NeverThePublicPage_AndTheNextSaveDoesNotConflict()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var editPath = await EditPathAsync();
        var (_, page) = await editor.Client.GetPageAsync(editPath);
        var form = page.QuerySelector("#artikel-formular")!;

        var autosaved = await editor.PostAsync(form.GetAttribute("data-autosave")!, page, new() { ["Title"] = PendingTitle, ["Body"] = PendingBody }, form);

        Assert.Equal(HttpStatusCode.OK, autosaved.StatusCode);
        using var answer = System.Text.Json.JsonDocument.Parse(await autosaved.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith("Automatisch gespeichert um ", answer.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(PublishedTitle, (await ReaderSeesAsync()).Heading);
        Assert.DoesNotContain(PendingBody, (await ReaderSeesAsync()).Main, StringComparison.Ordinal);
        // The script puts the new version into the form; "Speichern" afterwards is no conflict with oneself.
        var saved = await editor.PostAsync(editPath, page, new() { ["Title"] = PendingTitle, ["Body"] = PendingBody + " Fertig.", ["Version"] = answer.RootElement.GetProperty("version").GetString()!, ["aktion"] = "speichern" }, form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (_, after) = await editor.Client.GetPageAsync(editPath);
        Assert.Equal(PendingBody + " Fertig.", after.QuerySelector("#Body")?.TextContent.Trim());
        Assert.Equal(PublishedTitle, (await ReaderSeesAsync()).Heading);
    }

    [Fact]
    public async Task Autosave_OfADraft_SavesTheDraft()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var created = await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Entwurf mit Autosave", ["Body"] = "Erste Zeile.", ["aktion"] = "speichern" }, "#artikel-formular");
        var editPath = created.Headers.Location!.OriginalString;
        var (_, page) = await editor.Client.GetPageAsync(editPath);
        var form = page.QuerySelector("#artikel-formular")!;

        var autosaved = await editor.PostAsync(form.GetAttribute("data-autosave")!, page, new() { ["Body"] = "Automatisch gesicherte Zeile." }, form);

        Assert.Equal(HttpStatusCode.OK, autosaved.StatusCode);
        var (_, reopened) = await editor.Client.GetPageAsync(editPath);
        Assert.Equal("Automatisch gesicherte Zeile.", reopened.QuerySelector("#Body")?.TextContent.Trim());
        Assert.Null(reopened.QuerySelector("#geaenderte-fassung"));
        Assert.Equal(HttpStatusCode.NotFound, (await _factory.CreateClient().GetAsync(new Uri("/aktuelles/entwurf-mit-autosave", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Autosaves_DoNotFillTheVersionsList_OnlyOneRevisionPerTenMinutes()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var created = await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Entwurf mit vielen Autosaves", ["Body"] = "Anfang.", ["aktion"] = "speichern" }, "#artikel-formular");
        var editPath = created.Headers.Location!.OriginalString;

        foreach (var (text, minutes) in new[] { ("Anfang, eins.", 11), ("Anfang, zwei.", 1), ("Anfang, drei.", 1), ("Anfang, vier.", 11) })
        {
            _factory.Time.Advance(TimeSpan.FromMinutes(minutes));
            var (_, page) = await editor.Client.GetPageAsync(editPath);
            var form = page.QuerySelector("#artikel-formular")!;
            Assert.Equal(HttpStatusCode.OK, (await editor.PostAsync(form.GetAttribute("data-autosave")!, page, new() { ["Body"] = text }, form)).StatusCode);
        }

        var (_, editorPage) = await editor.Client.GetPageAsync(editPath);
        Assert.Equal("Anfang, vier.", editorPage.QuerySelector("#Body")?.TextContent.Trim());
        // "Anfang." (before the first autosave) and "Anfang, drei." (before the one after a pause); not every keystroke pause.
        Assert.Contains("2 frühere Fassungen", editorPage.Text("main"), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"https://veranstaltungen\.test(?<path>/vorschau/[0-9a-f]{64})")]
    private static partial Regex PreviewLink();
}

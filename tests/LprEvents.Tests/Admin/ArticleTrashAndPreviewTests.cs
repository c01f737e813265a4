using System.Net;
using System.Text.RegularExpressions;
using LprEvents.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Admin;

/// <summary>Deleting goes to a Papierkorb first; colleagues read a draft through a secret link that expires.</summary>
public sealed partial class ArticleTrashAndPreviewTests : IDisposable
{
    private const string Slug = "projekt-canvas-praeventionsprojekte-planen";

    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private async Task<int> ArticleIdAsync()
    {
        await using var scope = _factory.CreateDbScope();
        return await scope.Db.Articles.Where(a => a.Slug == Slug).Select(a => a.Id).SingleAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Delete_AsksFirst_GoesToThePapierkorb_CanBeRestored_AndIsGoneAfter30Days()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var id = await ArticleIdAsync();
        var reader = _factory.CreateClient();

        var (_, question) = await editor.Client.GetPageAsync($"/admin/beitraege/{id}/loeschen");
        Assert.Equal("Beitrag löschen?", question.Text("h1"));
        Assert.Contains("30 Tage im Papierkorb", question.Text("main"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri($"/aktuelles/{Slug}", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        var deleted = await editor.PostFormAsync($"/admin/beitraege/{id}/loeschen", [], "main form");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(new Uri($"/aktuelles/{Slug}", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        var (_, trash) = await editor.Client.GetPageAsync("/admin/beitraege?status=papierkorb");
        Assert.Contains("Projekt-Canvas", trash.Text("table"), StringComparison.Ordinal);
        var (_, list) = await editor.Client.GetPageAsync("/admin/beitraege");
        Assert.DoesNotContain("Projekt-Canvas", list.Text("table"), StringComparison.Ordinal);

        var restored = await editor.PostFormAsync($"/admin/beitraege/{id}", [], $"form[action='/admin/beitraege/{id}/wiederherstellen']");
        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri($"/aktuelles/{Slug}", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        await editor.PostFormAsync($"/admin/beitraege/{id}/loeschen", [], "main form");
        var driver = new RegistrationDriver(_factory);
        _factory.Time.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, (await driver.RunMaintenanceAsync()).TrashEmptied);
        _factory.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await driver.RunMaintenanceAsync()).TrashEmptied);
        await using var scope = _factory.CreateDbScope();
        Assert.False(await scope.Db.Articles.AnyAsync(a => a.Id == id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PreviewLink_ShowsTheDraftToAnyoneWithIt_UntilRevokedOrSevenDaysPass()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var draft = await editor.PostFormAsync("/admin/beitraege/neu", new() { ["Title"] = "Entwurf für die Abstimmung", ["Body"] = "Noch nicht öffentlich.", ["aktion"] = "speichern" }, "#artikel-formular");
        var editPath = draft.Headers.Location!.OriginalString;
        var anonymous = _factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/aktuelles/entwurf-fuer-die-abstimmung", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        var (_, full) = await editor.Client.GetPageAsync(editPath + "/ansicht");
        Assert.Equal("Entwurf für die Abstimmung", full.Text("h1"));
        Assert.Contains("Vorschau:", full.Text("main"), StringComparison.Ordinal);

        var link = await CreateLinkAsync(editor, editPath);
        var (preview, page) = await anonymous.GetPageAsync(link);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("Entwurf für die Abstimmung", page.Text("h1"));
        Assert.Equal("noindex", page.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
        Assert.Equal("no-referrer", string.Join("", preview.Headers.GetValues("Referrer-Policy")));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(link[..^1] + (link[^1] == '0' ? "1" : "0"), UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        await editor.PostFormAsync(editPath, [], "form[action$='/vorschau-links-widerrufen']");
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(link, UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        var second = await CreateLinkAsync(editor, editPath);
        _factory.Time.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromMinutes(1)));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(second, UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    /// <summary>Makes a link on the editor page and reads it from the one-time notice, as a path.</summary>
    private static async Task<string> CreateLinkAsync(AdminSession editor, string editPath)
    {
        var created = await editor.PostFormAsync(editPath, [], "form[action$='/vorschau-link']");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var (_, page) = await editor.Client.GetPageAsync(editPath);
        var match = PreviewLink().Match(page.Text("[role=status]"));
        Assert.True(match.Success, page.Text("[role=status]"));
        return match.Groups["path"].Value;
    }

    [GeneratedRegex(@"https://veranstaltungen\.test(?<path>/vorschau/[0-9a-f]{64})")]
    private static partial Regex PreviewLink();
}

using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using LprEvents.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Controllers;

/// <summary>Readers see an article's author by the public name the editor chose, or "Redaktion"; never a login.</summary>
public sealed class ArticleAuthorTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task PublishedArticle_ShowsRedaktion_UntilTheEditorSetsAPublicName_AndNeverTheLogin()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        var published = await editor.PostFormAsync("/admin/beitraege/neu", new()
        {
            ["Title"] = "Neues aus dem Netzwerk Prävention",
            ["Teaser"] = "Kurz berichtet.",
            ["Body"] = "Das Netzwerk trifft sich wieder im Herbst.",
            ["aktion"] = "veroeffentlichen",
        }, "#artikel-formular");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var (html, page) = await PublicPageAsync("/aktuelles/neues-aus-dem-netzwerk-praevention");
        Assert.DoesNotContain(editor.Email, html, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("von der Redaktion.", page.Text(".article__footer p"), StringComparison.Ordinal);
        var author = JsonLdAuthor(page);
        Assert.Equal("Organization", author.GetProperty("@type").GetString());
        Assert.Equal("Landespräventionsrat Sachsen", author.GetProperty("name").GetString());

        var named = await editor.PostFormAsync("/admin/konto", new() { ["PublicName"] = "  Erika Muster " }, "form[action='/admin/konto/name']");
        Assert.Equal("/admin/konto", named.Headers.Location?.OriginalString);
        var (_, account) = await editor.Client.GetPageAsync("/admin/konto");
        Assert.Equal("Erika Muster", account.QuerySelector("#PublicName")?.GetAttribute("value"));

        (html, page) = await PublicPageAsync("/aktuelles/neues-aus-dem-netzwerk-praevention");
        Assert.DoesNotContain(editor.Email, html, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("von Erika Muster.", page.Text(".article__footer p"), StringComparison.Ordinal);
        author = JsonLdAuthor(page);
        Assert.Equal("Person", author.GetProperty("@type").GetString());
        Assert.Equal("Erika Muster", author.GetProperty("name").GetString());
    }

    [Fact]
    public async Task DemoArticles_AreCreditedToTheRedaktion()
    {
        string slug;
        await using (var scope = _factory.CreateDbScope())
        {
            slug = await scope.Db.Articles.Where(a => a.Status == LprEvents.Web.Domain.ArticleStatus.Published).Select(a => a.Slug).FirstAsync(TestContext.Current.CancellationToken);
        }

        var (_, page) = await PublicPageAsync($"/aktuelles/{slug}");

        Assert.EndsWith("von der Redaktion.", page.Text(".article__footer p"), StringComparison.Ordinal);
        Assert.Equal("Organization", JsonLdAuthor(page).GetProperty("@type").GetString());
    }

    [Theory]
    [InlineData("Erika Muster <erika@lpr.example>", "Bitte geben Sie einen Namen an, keine E-Mail-Adresse")]
    [InlineData(null, "Der öffentliche Name darf höchstens 100 Zeichen lang sein.")]
    public async Task PublicName_ThatIsAnAddressOrTooLong_IsRefusedWithAGermanMessage(string? name, string message)
    {
        var editor = await AdminSession.SignInAsync(_factory);

        var response = await editor.PostFormAsync("/admin/konto", new() { ["PublicName"] = name ?? new string('x', 101) }, "form[action='/admin/konto/name']");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(message, page.Text("#PublicName-fehler"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportDraft_IsCreditedToTheEditorWhoStartedIt()
    {
        var editor = await AdminSession.SignInAsync(_factory);
        int id;
        await using (var scope = _factory.CreateDbScope())
        {
            id = await scope.Db.Events.Where(e => e.Slug == "vernetzungstreffen-freiberg-2023").Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        var response = await editor.PostFormAsync($"/admin/veranstaltungen/{id}/teilnehmende", [], "form[action$='/bericht']");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var check = _factory.CreateDbScope();
        var draft = await check.Db.Articles.OrderByDescending(a => a.Id).FirstAsync(TestContext.Current.CancellationToken);
        var editorId = await check.Db.Users.Where(u => u.Email == editor.Email).Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(editorId, draft.AuthorId);
    }

    private async Task<(string Html, IDocument Page)> PublicPageAsync(string path)
    {
        var response = await _factory.CreateClient().GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (html, Html.Parse(html));
    }

    private static JsonElement JsonLdAuthor(IDocument page)
    {
        var script = page.QuerySelector("script[type='application/ld+json']") ?? throw new Xunit.Sdk.XunitException("no JSON-LD");
        return JsonDocument.Parse(script.TextContent).RootElement.GetProperty("author").Clone();
    }
}

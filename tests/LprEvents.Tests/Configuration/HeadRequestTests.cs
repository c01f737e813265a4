using System.Net;
using LprEvents.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Configuration;

/// <summary>Uptime monitors and link checkers ask with HEAD: every page that answers GET answers HEAD the same way, without a body.</summary>
public sealed class HeadRequestTests(LprWebFactory factory) : IClassFixture<LprWebFactory>
{
    private static readonly string[] ComparedHeaders = ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"];

    private async Task<string> FirstLinkAsync(string listPath, string selector)
    {
        var (_, page) = await factory.CreateClient().GetPageAsync(listPath);
        return page.QuerySelector(selector)?.GetAttribute("href") ?? throw new Xunit.Sdk.XunitException($"no link '{selector}' on {listPath}");
    }

    private async Task AssertHeadAnswersLikeGetAsync(string path)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var get = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative));
        var head = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
        foreach (var name in ComparedHeaders)
        {
            Assert.Equal(get.Headers.GetValues(name), head.Headers.GetValues(name));
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/aktuelles")]
    [InlineData("/veranstaltungen")]
    [InlineData("/regionen")]
    [InlineData("/regionen/mittelsachsen")]
    [InlineData("/impressum")]
    [InlineData("/veranstaltungen/gibt-es-nicht")]
    [InlineData("/aktuelles/gibt-es-nicht")]
    [InlineData("/gibt-es-nicht")]
    [InlineData("/feed.xml")]
    [InlineData("/regionen/mittelsachsen/feed.xml")]
    [InlineData("/regionen/gibt-es-nicht/feed.xml")]
    [InlineData("/kalender.ics")]
    [InlineData("/regionen/mittelsachsen/kalender.ics")]
    [InlineData("/sitemap.xml")]
    [InlineData("/robots.txt")]
    public async Task Head_OnAPublicPage_AnswersWithTheStatusAndHeadersOfGetAndNoBody(string path) =>
        await AssertHeadAnswersLikeGetAsync(path);

    [Fact]
    public async Task Head_OnAnArticle_AnswersLikeGet()
    {
        var article = await FirstLinkAsync("/aktuelles", ".card__title a");
        Assert.StartsWith("/aktuelles/", article, StringComparison.Ordinal);

        await AssertHeadAnswersLikeGetAsync(article);
    }

    [Fact]
    public async Task Head_OnAnEventAndItsRegistrationForm_AnswersLikeGet()
    {
        var eventPage = await FirstLinkAsync("/veranstaltungen", ".card__title a");
        Assert.StartsWith("/veranstaltungen/", eventPage, StringComparison.Ordinal);

        await AssertHeadAnswersLikeGetAsync(eventPage);
        await AssertHeadAnswersLikeGetAsync(eventPage + "/anmeldung");
    }

    /// <summary>An export writes "exported" into the audit log: a HEAD, which exports nothing, must not.</summary>
    [Fact]
    public async Task Head_OnAnAdminExport_Is405AndLeavesNoAuditEntry()
    {
        var editor = await AdminSession.SignInAsync(factory);
        int id;
        await using (var scope = factory.CreateDbScope())
        {
            id = await scope.Db.Events.OrderBy(e => e.Id).Select(e => e.Id).FirstAsync(TestContext.Current.CancellationToken);
        }

        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri($"/admin/veranstaltungen/{id}/export.csv", UriKind.Relative));
        var head = await editor.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.StatusCode);
        await using var check = factory.CreateDbScope();
        Assert.False(await check.Db.AuditLog.AnyAsync(a => a.Action == "exported", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/anmeldung/kein-echter-schluessel/bestaetigen")]
    [InlineData("/anmeldung/kein-echter-schluessel/abmelden")]
    [InlineData("/anmeldung/kein-echter-schluessel/loeschen")]
    [InlineData("/admin/beitraege/vorschau")]
    public async Task Head_OnAnActionThatOnlyTakesPost_Is405(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative));

        var head = await factory.CreateClient(new() { AllowAutoRedirect = false }).SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.StatusCode);
    }
}

using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Caching;

/// <summary>The application with every SQL command recorded on demand: a page served from the output cache runs none.</summary>
public sealed class RecordingWebFactory : LprWebFactory
{
    public SqlRecorder Sql { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<LprEvents.Web.Data.SqliteLprEventsDbContext>(o => o.AddInterceptors(Sql)));
    }
}

/// <summary>Public pages come from the output cache until something readers see changes; private pages, forms and editors never do.</summary>
public sealed class PublicCacheTests(RecordingWebFactory factory) : IClassFixture<RecordingWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IReadOnlyList<SqlGroup>> SqlDuringAsync(Func<Task> action)
    {
        factory.Sql.Take();
        factory.Sql.Recording = true;
        try
        {
            await action();
        }
        finally
        {
            factory.Sql.Recording = false;
        }

        return factory.Sql.Take();
    }

    private async Task<Article> AddArticleAsync(string title, DateOnly date)
    {
        await using var scope = factory.CreateDbScope();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        var article = new Article
        {
            Title = title,
            Slug = Web.Services.Slugs.From(title),
            Teaser = "Ein Bericht für den Cache-Test.",
            Body = "Text.",
            Status = ArticleStatus.Published,
            Date = date,
            PublishedAtUtc = now.AddMinutes(-1),
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        scope.Db.Articles.Add(article);
        await scope.Db.SaveChangesAsync(Ct);
        return article;
    }

    /// <summary>Changes a title behind the application's back (raw SQL, no eviction): what a cached page would not show.</summary>
    private async Task RenameSilentlyAsync(int articleId, string title)
    {
        await using var scope = factory.CreateDbScope();
        await scope.Db.Database.ExecuteSqlAsync($"UPDATE Articles SET Title = {title} WHERE Id = {articleId}", Ct);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/aktuelles")]
    [InlineData("/aktuelles?region=chemnitz&jahr=2023")]
    [InlineData("/veranstaltungen")]
    [InlineData("/regionen")]
    [InlineData("/regionen/mittelsachsen")]
    [InlineData("/impressum")]
    [InlineData("/suche?q=Pr%C3%A4ventionsrat")]
    [InlineData("/feed.xml")]
    [InlineData("/regionen/mittelsachsen/kalender.ics")]
    [InlineData("/sitemap.xml")]
    public async Task PublicPage_AskedTwice_IsServedTheSecondTimeWithoutTheDatabase(string path)
    {
        var client = factory.CreateClient();
        var first = await client.GetStringAsync(new Uri(path, UriKind.Relative), Ct);

        string second = "";
        var sql = await SqlDuringAsync(async () => second = await client.GetStringAsync(new Uri(path, UriKind.Relative), Ct));

        Assert.Empty(sql);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task PublishingAnArticle_EvictsTheCachedNewsListAndHomePage()
    {
        var client = factory.CreateClient();
        await client.GetStringAsync(new Uri("/aktuelles", UriKind.Relative), Ct);
        await client.GetStringAsync(new Uri("/", UriKind.Relative), Ct);

        await AddArticleAsync("Frisch veröffentlicht im Cache-Test", new DateOnly(2026, 3, 10));

        var (_, news) = await client.GetPageAsync("/aktuelles");
        var (_, home) = await client.GetPageAsync("/");
        Assert.Contains("Frisch veröffentlicht im Cache-Test", news.BodyText(), StringComparison.Ordinal);
        Assert.Contains("Frisch veröffentlicht im Cache-Test", home.BodyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishingAnArticle_EvictsTheCachedFeedAndSitemap()
    {
        var client = factory.CreateClient();
        Assert.DoesNotContain("Neu im Feed-Cache-Test", await client.GetStringAsync(new Uri("/feed.xml", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("neu-im-feed-cache-test", await client.GetStringAsync(new Uri("/sitemap.xml", UriKind.Relative), Ct), StringComparison.Ordinal);

        await AddArticleAsync("Neu im Feed-Cache-Test", new DateOnly(2026, 3, 11));

        Assert.Contains("Neu im Feed-Cache-Test", await client.GetStringAsync(new Uri("/feed.xml", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Contains("/aktuelles/neu-im-feed-cache-test", await client.GetStringAsync(new Uri("/sitemap.xml", UriKind.Relative), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirmation_RefreshesPlacesLeftOnTheCachedEventPages()
    {
        var driver = new RegistrationDriver(factory);
        await driver.AddEventAsync("cache-plaetze", capacity: 5, waitingList: false);
        var client = factory.CreateClient();
        var (_, before) = await client.GetPageAsync("/veranstaltungen/cache-plaetze");
        Assert.Contains("Noch 5 von 5 Plätzen frei", before.BodyText(), StringComparison.Ordinal);
        await client.GetStringAsync(new Uri("/regionen/chemnitz", UriKind.Relative), Ct);

        await driver.RegisterAndConfirmAsync("cache-plaetze", "cache.plaetze@example.org");

        var (_, eventPage) = await client.GetPageAsync("/veranstaltungen/cache-plaetze");
        var (_, regionPage) = await client.GetPageAsync("/regionen/chemnitz");
        Assert.Contains("Noch 4 von 5 Plätzen frei", eventPage.BodyText(), StringComparison.Ordinal);
        Assert.Contains("Noch 4 von 5 Plätzen frei", regionPage.BodyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACachedPage_ShowsAChangeMadeBehindTheAppsBackOnlyToASignedInEditor()
    {
        var article = await AddArticleAsync("Vor der stillen Änderung", new DateOnly(2026, 3, 9));
        var reader = factory.CreateClient();
        await reader.GetStringAsync(new Uri("/aktuelles", UriKind.Relative), Ct);

        await RenameSilentlyAsync(article.Id, "Nach der stillen Änderung");

        var (_, cached) = await reader.GetPageAsync("/aktuelles");
        Assert.Contains("Vor der stillen Änderung", cached.BodyText(), StringComparison.Ordinal);
        var editor = factory.CreateClient();
        editor.DefaultRequestHeaders.Add("Cookie", "lpr-admin=signed-in");
        var (_, fresh) = await editor.GetPageAsync("/aktuelles");
        Assert.Contains("Nach der stillen Änderung", fresh.BodyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistrationForm_IsNeverCached_EachVisitorGetsAnOwnToken()
    {
        var driver = new RegistrationDriver(factory);
        await driver.AddEventAsync("cache-formular", capacity: 5, waitingList: false);

        var first = await new RegistrationDriver(factory).FormAsync("cache-formular");
        IReadOnlyList<SqlGroup> sql = [];
        AngleSharp.Dom.IDocument? second = null;
        sql = await SqlDuringAsync(async () => second = await new RegistrationDriver(factory).FormAsync("cache-formular"));

        Assert.NotEqual(RegistrationDriver.AntiforgeryToken(first), RegistrationDriver.AntiforgeryToken(second!));
        Assert.NotEmpty(sql);
    }

    [Fact]
    public async Task RevokedPrivateLink_StopsWorkingAtOnce()
    {
        var driver = new RegistrationDriver(factory);
        await driver.AddEventAsync("cache-privat", capacity: 5, waitingList: false);
        var path = await driver.RegisterAndConfirmAsync("cache-privat", "cache.privat@example.org");
        Assert.Equal(HttpStatusCode.OK, (await driver.Client.GetAsync(new Uri(path, UriKind.Relative), Ct)).StatusCode);

        var revoke = await driver.PostPrivateAsync(path, "links-ungueltig");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await driver.Client.GetAsync(new Uri(path, UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Head_OnACachedPage_AnswersLikeGetWithoutBody_WhicheverCameFirst()
    {
        var client = factory.CreateClient();
        foreach (var (path, headFirst) in new[] { ("/regionen", false), ("/barrierefreiheit", true) })
        {
            HttpResponseMessage head;
            HttpResponseMessage get;
            if (headFirst)
            {
                head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)), Ct);
                get = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            }
            else
            {
                get = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
                head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)), Ct);
            }

            var again = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)), Ct);
            var body = await get.Content.ReadAsByteArrayAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
            Assert.Empty(await again.Content.ReadAsByteArrayAsync(Ct));
            Assert.NotEmpty(body);
            Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
            // A HEAD may name the length of the GET's body, but never another one.
            Assert.True(again.Content.Headers.ContentLength is null || again.Content.Headers.ContentLength == body.Length);
        }
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    public async Task PublicPage_IsCompressedWithWhatTheClientAccepts_FromTheCacheToo(string accept, string expected)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.AcceptEncoding.ParseAdd(accept);

        var first = await client.GetAsync(new Uri("/veranstaltungen", UriKind.Relative), Ct);
        var second = await client.GetAsync(new Uri("/veranstaltungen", UriKind.Relative), Ct);

        Assert.Equal([expected], first.Content.Headers.ContentEncoding);
        Assert.Equal([expected], second.Content.Headers.ContentEncoding);
        var plain = await factory.CreateClient().GetStringAsync(new Uri("/veranstaltungen", UriKind.Relative), Ct);
        Assert.Equal(plain, await Decompress(second, expected));
    }

    [Fact]
    public async Task PagesWithAFormToken_AreNotCompressed()
    {
        var driver = new RegistrationDriver(factory);
        await driver.AddEventAsync("cache-breach", capacity: 5, waitingList: false);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br, gzip");

        var form = await client.GetAsync(new Uri("/veranstaltungen/cache-breach/anmeldung", UriKind.Relative), Ct);
        var signIn = await client.GetAsync(new Uri("/admin/anmelden", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Empty(form.Content.Headers.ContentEncoding);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Empty(signIn.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Stylesheets_HaveFingerprintedAddresses_CachedForAYearAsImmutable()
    {
        var (_, home) = await factory.CreateClient().GetPageAsync("/");
        var stylesheets = home.QuerySelectorAll("link[rel=stylesheet]").Select(l => l.GetAttribute("href")!).ToList();

        Assert.NotEmpty(stylesheets);
        foreach (var href in stylesheets)
        {
            Assert.Matches(@"^/css/[a-z]+\.css\?v=[A-Za-z0-9_-]{20,}$", href);
            var css = await factory.CreateClient().GetAsync(new Uri(href, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
            Assert.True(css.Headers.CacheControl is { Public: true, MaxAge.TotalDays: >= 365 }, css.Headers.CacheControl?.ToString());
            Assert.Contains("immutable", css.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        }
    }

    private static async Task<string> Decompress(HttpResponseMessage response, string encoding)
    {
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        await using Stream decompressed = encoding == "br"
            ? new System.IO.Compression.BrotliStream(body, System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(decompressed);
        return await reader.ReadToEndAsync(Ct);
    }
}

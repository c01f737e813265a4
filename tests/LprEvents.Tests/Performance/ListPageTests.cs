using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Controllers;
using LprEvents.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Performance;

/// <summary>List pages at a size where the pager has more than 1 000 pages: every page answers, read from the index.</summary>
public sealed class ListPageTests(LprWebFactory factory) : IClassFixture<LprWebFactory>
{
    private const int Inserted = 10_020;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task EnsureManyArticlesAsync()
    {
        await using var scope = factory.CreateDbScope();
        if (await scope.Db.Articles.CountAsync(a => a.Slug.StartsWith("masse-"), Ct) > 0)
        {
            return;
        }

        // Raw SQL: ten thousand articles in well under a second. Dated 1990 and later, all before the demo content.
        var regionId = await scope.Db.Regions.Where(r => r.Slug == "chemnitz").Select(r => r.Id).SingleAsync(Ct);
        await scope.Db.Database.ExecuteSqlAsync(
            $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Inserted})
            INSERT INTO Articles (Author, Body, CreatedAtUtc, PublishedAtUtc, Slug, Status, Teaser, Title, UpdatedAtUtc, Version, Date)
            SELECT 'test', 'Text.', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'masse-' || i, 'Published', 'Kurz.',
                   'Massenbericht ' || i, '2026-01-01 00:00:00', lower(hex(randomblob(16))), date('1990-01-01', '+' || i || ' days')
            FROM n
            """,
            Ct);
        await scope.Db.Database.ExecuteSqlAsync(
            $"INSERT INTO ArticleRegions (ArticlesId, RegionsId) SELECT Id, {regionId} FROM Articles WHERE Slug LIKE 'masse-%'",
            Ct);
    }

    [Fact]
    public async Task LastPageOfMoreThanAThousand_Answers200WithTheOldestArticle()
    {
        await EnsureManyArticlesAsync();
        var client = factory.CreateClient();

        var (first, page1) = await client.GetPageAsync("/aktuelles");
        var lastPage = PageCount(page1);
        var (last, lastDocument) = await client.GetPageAsync($"/aktuelles?seite={lastPage}");
        var (beyond, _) = await client.GetPageAsync($"/aktuelles?seite={lastPage + 1}");
        var (_, regionPage1) = await client.GetPageAsync("/aktuelles?region=chemnitz");
        var (regionLast, regionDocument) = await client.GetPageAsync($"/aktuelles?region=chemnitz&seite={PageCount(regionPage1)}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(lastPage > 1000, $"the pager's last page is {lastPage}");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Contains("Massenbericht 1", lastDocument.Texts(".card__title"));
        Assert.NotNull(lastDocument.QuerySelector(".paging a[rel=prev]"));
        Assert.Null(lastDocument.QuerySelector(".paging a[rel=next]"));
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
        Assert.Equal(HttpStatusCode.OK, regionLast.StatusCode);
        Assert.Contains("Massenbericht 1", regionDocument.Texts(".card__title"));
    }

    /// <summary>
    /// SQLite's plan for a deep news page: the page's ids come from the covering "newest first" index, the rows by
    /// primary key; no table scan, no sort of all articles, no join table materialised.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("chemnitz")]
    public async Task DeepNewsPage_IsPlannedOnTheNewestFirstIndex(string? region)
    {
        await EnsureManyArticlesAsync();
        await using var scope = factory.CreateDbScope();
        var now = factory.Time.GetUtcNow().UtcDateTime;

        var plan = await QueryPlans.PlanAsync(scope.Db, ArticlesController.Page(scope.Db, ArticlesController.Filtered(scope.Db, now, region, null), 900));

        Assert.Contains(plan, line => line.Contains("USING COVERING INDEX IX_Articles_NewestFirst", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("MATERIALIZE", StringComparison.Ordinal));
        // Every read is the covering index, one row by its key, or the region links of one article: no full scan.
        Assert.All(
            plan.Where(line => line.StartsWith("SCAN", StringComparison.Ordinal) || line.StartsWith("SEARCH", StringComparison.Ordinal)),
            line => Assert.Matches("COVERING INDEX IX_Articles_NewestFirst|INTEGER PRIMARY KEY|INDEX sqlite_autoindex_ArticleRegions_1 \\(ArticlesId=\\?|INDEX IX_Regions_Slug \\(Slug=\\?", line));
        // The only sort allowed is the final one over the page's ten rows, which come by primary key.
        Assert.Contains(plan, line => line.StartsWith("SEARCH a USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
        Assert.True(plan.Count(line => line.Contains("TEMP B-TREE", StringComparison.Ordinal)) <= 1, string.Join('\n', plan));
    }

    /// <summary>N from the pager's "Seite 1 von N".</summary>
    private static int PageCount(AngleSharp.Dom.IDocument page)
    {
        var text = page.Text(".paging [aria-current=page]");
        return int.Parse(text[(text.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}

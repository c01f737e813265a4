using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Controllers;

/// <summary>Tests that change data or move the clock, each on its own application and database.</summary>
public sealed class PublishingTimeTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ScheduledArticle_AppearsOnItsDateWithoutAnyoneActing()
    {
        var client = _factory.CreateClient();
        var before = await client.GetAsync(new Uri("/aktuelles/ausblick-kommendes-jahr", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);

        _factory.Time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));

        var (after, page) = await client.GetPageAsync("/aktuelles/ausblick-kommendes-jahr");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("Ausblick auf das kommende Jahr", page.Text("h1"));
        var (_, list) = await client.GetPageAsync("/aktuelles");
        Assert.Equal("Ausblick auf das kommende Jahr", list.Texts(".card__title")[0]);
    }

    [Fact]
    public async Task NewsList_WithMoreThanOnePage_PagesTenAtATimeWithWorkingLinks()
    {
        await using (var scope = _factory.CreateDbScope())
        {
            var now = _factory.Time.GetUtcNow().UtcDateTime;
            for (var i = 1; i <= 15; i++)
            {
                scope.Db.Articles.Add(new Article
                {
                    Title = $"Kurzmeldung {i:00}",
                    Slug = $"kurzmeldung-{i:00}",
                    Teaser = "Testmeldung",
                    Status = ArticleStatus.Published,
                    PublishedAtUtc = now.AddHours(-i),
                    Date = DateOnly.FromDateTime(now),
                    CreatedAtUtc = now,
                    UpdatedAtUtc = now,
                });
            }

            await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var client = _factory.CreateClient();
        var (_, first) = await client.GetPageAsync("/aktuelles");
        Assert.Equal("23 Beiträge", first.Text(".result-count"));
        Assert.Equal(10, first.QuerySelectorAll(".card__title").Length);
        Assert.Equal("Kurzmeldung 01", first.Texts(".card__title")[0]);
        Assert.Equal("Seite 1 von 3", first.Text(".paging [aria-current=page]"));

        var next = first.QuerySelector(".paging a[rel=next]")!.GetAttribute("href")!;
        var (response, second) = await client.GetPageAsync("/aktuelles" + next);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Seite 2 von 3", second.Text(".paging [aria-current=page]"));
        Assert.Equal("Kurzmeldung 11", second.Texts(".card__title")[0]);

        var (_, third) = await client.GetPageAsync("/aktuelles?seite=3");
        Assert.Equal(3, third.QuerySelectorAll(".card__title").Length);
        Assert.Null(third.QuerySelector(".paging a[rel=next]"));
    }

    [Fact]
    public async Task CancelledEvent_StaysVisibleWithNotice()
    {
        await using (var scope = _factory.CreateDbScope())
        {
            var e = await scope.Db.Events.SingleAsync(x => x.Title.StartsWith("Fachtag"), TestContext.Current.CancellationToken);
            e.Status = EventStatus.Cancelled;
            await scope.Db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var client = _factory.CreateClient();
        var (_, list) = await client.GetPageAsync("/veranstaltungen");
        var link = list.QuerySelectorAll(".card__title a").First(a => a.TextContent.StartsWith("Fachtag", StringComparison.Ordinal)).GetAttribute("href")!;
        var (response, page) = await client.GetPageAsync(link);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Diese Veranstaltung ist abgesagt.", page.Text(".notice--warning"), StringComparison.Ordinal);
        Assert.Equal("Abgesagt", page.Text(".registration-box .state__label"));
    }
}

using System.Net;
using LprEvents.Tests.Feeds;
using LprEvents.Tests.Support;
using LprEvents.Web.Controllers;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Performance;

/// <summary>
/// Upcoming events and the article page at archive size: the region page shows the next ten and links to the
/// region's list, and the queries read the upcoming events only, never every past event or the whole join table.
/// </summary>
public sealed class UpcomingEventsTests(LprWebFactory factory) : IClassFixture<LprWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task EnsureEventsAsync()
    {
        await using var scope = factory.CreateDbScope();
        if (await scope.Db.Events.AnyAsync(e => e.Slug.StartsWith("vogtland-treffen-"), Ct))
        {
            return;
        }

        // Twelve upcoming events in one region (two more than its page shows), days apart, starting tomorrow.
        var start = BerlinTime.ToLocal(factory.Time.GetUtcNow().UtcDateTime).Date.AddDays(1).AddHours(9);
        for (var i = 1; i <= 12; i++)
        {
            await FeedData.AddEventAsync(factory, $"vogtland-treffen-{i:00}", start.AddDays(i), regions: ["vogtlandkreis"]);
        }
    }

    [Fact]
    public async Task RegionPage_ShowsTheNextTen_AndLinksToTheRegionsEventList()
    {
        await EnsureEventsAsync();
        var client = factory.CreateClient();

        var (response, page) = await client.GetPageAsync("/regionen/vogtlandkreis");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var titles = page.Texts("section[aria-labelledby=kommende] .card__title");
        Assert.Equal(RegionsController.EventsShown, titles.Count);
        Assert.Contains("Treffen vogtland-treffen-01", titles);
        Assert.DoesNotContain("Treffen vogtland-treffen-11", titles);
        Assert.DoesNotContain("Treffen vogtland-treffen-12", titles);
        var more = page.QuerySelector("section[aria-labelledby=kommende] .more a");
        Assert.NotNull(more);
        Assert.Equal("/veranstaltungen?region=vogtlandkreis", more.GetAttribute("href"));
        Assert.Equal("Alle kommenden Veranstaltungen in der Region Vogtlandkreis", Html.Normalise(more.TextContent));
    }

    [Fact]
    public async Task EventListOfARegion_ShowsAllItsUpcomingEvents_AndOnlyThose()
    {
        await EnsureEventsAsync();
        await FeedData.AddEventAsync(factory, "anderswo-treffen", BerlinTime.ToLocal(factory.Time.GetUtcNow().UtcDateTime).AddDays(3), regions: ["leipzig"]);
        var client = factory.CreateClient();

        var (response, page) = await client.GetPageAsync("/veranstaltungen?region=vogtlandkreis");
        var (all, allPage) = await client.GetPageAsync("/veranstaltungen");
        var (unknown, _) = await client.GetPageAsync("/veranstaltungen?region=atlantis");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Veranstaltungen in der Region Vogtlandkreis", page.Text("h1"));
        var titles = page.Texts("section[aria-labelledby=kommende] .card__title");
        Assert.Equal(12, titles.Count(t => t.StartsWith("Treffen vogtland-treffen-", StringComparison.Ordinal)));
        Assert.DoesNotContain("Treffen anderswo-treffen", titles);
        Assert.Contains(page.QuerySelectorAll("section[aria-labelledby=abonnieren] a").Select(a => a.GetAttribute("href") ?? ""), href => href.EndsWith("/regionen/vogtlandkreis/kalender.ics", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Contains("Treffen anderswo-treffen", allPage.Texts("section[aria-labelledby=kommende] .card__title"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>
    /// The upcoming events of the home page, the event list, a region page and the regions' counts start from
    /// IX_Events_Status_EndsAtUtc_StartsAtUtc (Status = … AND EndsAtUtc >= now): no walk through every past event.
    /// </summary>
    [Fact]
    public async Task UpcomingEventQueries_AreRangesOnTheStatusAndEndIndex()
    {
        await using var scope = factory.CreateDbScope();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        var queries = new Dictionary<string, IQueryable<object>>
        {
            ["home"] = HomeController.NextEvents(scope.Db, now),
            ["event list"] = EventsController.Upcoming(scope.Db, now),
            ["region page"] = RegionsController.RegionEvents(scope.Db, now, "vogtlandkreis"),
            ["region counts"] = RegionsController.UpcomingCounts(scope.Db, now),
        };

        foreach (var (name, query) in queries)
        {
            var plan = await QueryPlans.PlanAsync(scope.Db, query);
            var events = plan.Where(line => line.Contains(" e USING", StringComparison.Ordinal) || line.StartsWith("SCAN e", StringComparison.Ordinal)).ToList();
            Assert.True(events.Count > 0, $"{name}: {string.Join(" | ", plan)}");
            Assert.All(events, line => Assert.Contains("INDEX IX_Events_Status_EndsAtUtc_StartsAtUtc (Status=? AND EndsAtUtc>?)", line));
            Assert.DoesNotContain(plan, line => line.StartsWith("SCAN", StringComparison.Ordinal) && !line.StartsWith("SCAN r", StringComparison.Ordinal));
        }
    }

    /// <summary>The article page's query: found by its slug; its regions come by a second query, not a materialised join table.</summary>
    [Fact]
    public async Task ArticlePageQuery_ReadsOneArticle_WithoutMaterialisingTheRegionTable()
    {
        await using var scope = factory.CreateDbScope();
        var now = factory.Time.GetUtcNow().UtcDateTime;

        var plan = await QueryPlans.PlanAsync(scope.Db, ArticlesController.ArticleBySlug(scope.Db, now, "irgendein-beitrag"));

        Assert.Contains(plan, line => line.Contains("USING INDEX IX_Articles_Slug (Slug=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("MATERIALIZE", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN", StringComparison.Ordinal));
    }
}

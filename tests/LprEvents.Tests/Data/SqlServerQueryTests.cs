using System.Data.Common;
using LprEvents.Web.Configuration;
using LprEvents.Web.Controllers;
using LprEvents.Web.Data;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Feeds;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LprEvents.Tests.Data;

/// <summary>Every query the public pages run (and the private link lookup), translated by the SQL Server provider and parsed as T-SQL.</summary>
public sealed class SqlServerQueryTests
{
    private static readonly DateTime Now = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string> QueryNames() => [.. Queries().Keys];

    private static Dictionary<string, Func<LprEventsDbContext, IQueryable>> Queries() => new()
    {
        ["home: latest articles"] = db => HomeController.LatestArticles(db, Now),
        ["home: next events"] = db => HomeController.NextEvents(db, Now),
        ["regions: upcoming counts"] = db => RegionsController.UpcomingCounts(db, Now),
        ["region: events"] = db => RegionsController.RegionEvents(db, Now, "mittelsachsen"),
        ["region: articles"] = db => RegionsController.RegionArticles(db, Now, "mittelsachsen"),
        ["news: region links"] = db => ArticlesController.RegionLinks(db),
        ["news: page, unfiltered"] = db => ArticlesController.Page(db, ArticlesController.Filtered(db, Now, null, null), 1),
        ["news: page, region and year"] = db => ArticlesController.Page(db, ArticlesController.Filtered(db, Now, "chemnitz", 2023), 3),
        ["news: count"] = db => ArticlesController.Filtered(db, Now, "chemnitz", 2023).Select(a => a.Id),
        ["news: years"] = db => ArticlesController.Filtered(db, Now, null, null).Select(a => a.PublishedAtUtc),
        ["article"] = db => ArticlesController.ArticleBySlug(db, Now, "bericht"),
        ["events: upcoming"] = db => EventsController.Upcoming(db, Now),
        ["events: past page"] = db => EventsController.PastPage(db, Now, 2),
        ["event: card"] = db => EventsController.CardRows(db).Where(e => e.Slug == "x").Select(e => e.Id),
        ["event: details"] = db => EventsController.Details(db, "x"),
        ["event: program"] = db => EventsController.Program(db, 1),
        ["event: reports"] = db => EventsController.Reports(db, Now, 1),
        ["feed: site"] = db => FeedsController.Latest(db.Articles.VisibleAt(Now)),
        ["feed: region"] = db => FeedsController.Latest(FeedsController.RegionArticles(db, Now, "mittelsachsen")),
        ["calendar: site"] = db => CalendarsController.Window(db.Events.Public(), Now),
        ["calendar: region"] = db => CalendarsController.RegionWindow(db, Now, "mittelsachsen"),
        ["sitemap: events"] = db => SitemapWriter.EventPage(db, 50000, 50000),
        ["sitemap: articles"] = db => SitemapWriter.ArticlePage(db, Now, 49980, 50000),
        ["sitemap: region articles changed"] = db => SitemapWriter.RegionArticleChanges(db, Now),
        ["sitemap: region events changed"] = db => SitemapWriter.RegionEventChanges(db),
        ["job lease: holder or expired"] = db => JobLeases.Take(db, "maintenance", "host/1/abc", Now),
        ["private link lookup"] = db => LprEvents.Web.Services.Registration.RegistrationService.ByTokenHash(db, new string('a', 64)),
    };

    public static TheoryData<string> StatementNames() => [.. Statements().Keys];

    /// <summary>Statements that write (no ToQueryString for them): run against a connection that never opens, SQL captured.</summary>
    private static Dictionary<string, Func<LprEventsDbContext, Task>> Statements() => new()
    {
        ["seat lock"] = db => SeatLock.BumpAsync(db, 42, TestContext.Current.CancellationToken),
        ["job lease: take"] = db => JobLeases.TryTakeAsync(db, "maintenance", "host/1/abc", Now, Now.AddMinutes(6), TestContext.Current.CancellationToken),
        ["job lease: release"] = db => JobLeases.ReleaseAsync(db, "maintenance", "host/1/abc", Now, TestContext.Current.CancellationToken),
        ["readiness write probe"] = db => db.Database.ExecuteSqlRawAsync(DatabaseReadyCheck.SqlServerWriteProbe, TestContext.Current.CancellationToken),
    };

    [Theory]
    [MemberData(nameof(StatementNames))]
    public async Task WritingStatement_TranslatedForSqlServer_ParsesWithoutErrors(string name)
    {
        var capture = new CapturedStatements();
        await using var db = new LprEventsDbContext(new DbContextOptionsBuilder<LprEventsDbContext>()
            .UseSqlServer("Server=unused;Database=LprEvents;Trusted_Connection=True;TrustServerCertificate=True", DatabaseSetup.ConfigureSqlServer)
            .AddInterceptors(capture)
            .Options);

        await Statements()[name](db);

        var sql = Assert.Single(capture.Sql);
        Assert.StartsWith("UPDATE", sql.TrimStart(), StringComparison.Ordinal);
        Assert.Empty(SqlParsing.Parse(sql));
    }

    /// <summary>No server: opening is suppressed and each statement answers "1 row" after its text is kept.</summary>
    private sealed class CapturedStatements : DbCommandInterceptor, IDbConnectionInterceptor
    {
        public List<string> Sql { get; } = [];

        public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) => InterceptionResult.Suppress();

        public ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(InterceptionResult.Suppress());

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Sql.Add(command.CommandText);
            return ValueTask.FromResult(InterceptionResult<int>.SuppressWithResult(1));
        }
    }

    [Theory]
    [MemberData(nameof(QueryNames))]
    public void PublicPageQuery_TranslatedForSqlServer_ParsesWithoutErrors(string name)
    {
        using var db = MigrationTests.SqlServerContext();
        var sql = Queries()[name](db).ToQueryString();
        // Card queries run split (PublicQueries.SelectCards): EF appends a note in prose after the first query.
        var note = sql.IndexOf("This LINQ query is being executed in split-query mode", StringComparison.Ordinal);
        sql = note < 0 ? sql : sql[..note];

        Assert.Contains("SELECT", sql, StringComparison.Ordinal);
        Assert.Empty(SqlParsing.Parse(sql));
    }
}

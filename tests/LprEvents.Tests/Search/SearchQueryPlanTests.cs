using System.Globalization;
using System.Text.RegularExpressions;
using LprEvents.Tests.Data;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Search;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LprEvents.Tests.Search;

/// <summary>
/// The search query's cost must not grow with the number of matching documents. Not timed: SQLite's plan for the
/// real queries over a real index (the migrations') must read one term's postings from the ranked index in result
/// order with a limit (no full scan, no sort of all postings), and SQL Server must accept the same queries.
/// </summary>
public sealed partial class SearchQueryPlanTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SearchQueryPlanTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SqliteLprEventsDbContext NewContext() =>
        new(new DbContextOptionsBuilder<SqliteLprEventsDbContext>().UseSqlite(_connection, DatabaseSetup.ConfigureSqlite).Options);

    private static SearchIndexer Indexer(LprEventsDbContext db) =>
        new(db, new MarkdownRenderer(Options.Create(new SiteOptions { PublicBaseUrl = "https://veranstaltungen.test" })), TimeProvider.System, NullLogger<SearchIndexer>.Instance);

    /// <summary>1,200 articles mention the word in the text, 30 in the title; every tenth is in Dresden.</summary>
    private async Task<(int Region, int TitleHits)> SeedAsync()
    {
        await using var db = NewContext();
        await db.Database.MigrateAsync(Ct);
        var dresden = new Region { Name = "Dresden", Slug = "dresden", Description = "" };
        db.Regions.Add(dresden);
        for (var i = 0; i < 1230; i++)
        {
            var title = i % 41 == 0 ? $"Präventionsrat tagt zum {i}. Mal" : $"Bericht Nummer {i}";
            var article = new Article
            {
                Title = title,
                Slug = $"bericht-{i}",
                Body = $"Der Kommunale Präventionsrat berichtet über Projekt {i} und Jugendarbeit.",
                Status = ArticleStatus.Published,
                Date = new DateOnly(2020, 1, 1).AddDays(i),
                PublishedAtUtc = Now.AddDays(-1),
            };
            if (i % 10 == 0)
            {
                article.Regions.Add(dresden);
            }

            db.Articles.Add(article);
        }

        await db.SaveChangesAsync(Ct);
        var written = await Indexer(db).IndexMissingAsync(Ct);
        Assert.Equal(1230, written);
        return (dresden.Id, 30);
    }

    [Fact]
    public async Task ManyMatches_FirstPageIsTitleHitsNewestFirst_AndTheCountStopsAtTheLimit()
    {
        await SeedAsync();
        await using var db = NewContext();

        var results = await SiteSearch.RunAsync(db, new SearchQuery([SearchText.TermOf("Präventionsräte")!], null, null, 1), Now, Ct);

        Assert.Equal(SiteSearch.MaxCount, results.Count);
        Assert.True(results.MoreThanMax);
        Assert.Equal(["Präventionsrat tagt zum 1189. Mal", "Präventionsrat tagt zum 1148. Mal"], results.Hits.Take(2).Select(h => h.Title));
        Assert.All(results.Hits, h => Assert.StartsWith("Präventionsrat tagt", h.Title, StringComparison.Ordinal));

        var page4 = await SiteSearch.RunAsync(db, new SearchQuery([SearchText.TermOf("Präventionsrat")!], null, null, 4), Now, Ct);
        Assert.Equal("Bericht Nummer 1229", page4.Hits[0].Title);
    }

    [Fact]
    public async Task SeveralWordsAndRegion_PlanReadsTheRankedIndexInOrder_WithoutScanOrSort()
    {
        var (region, _) = await SeedAsync();
        await using var db = NewContext();
        string[] terms = [SearchText.TermOf("Präventionsrat")!, SearchText.TermOf("Jugendarbeit")!];

        var matches = SiteSearch.Matches(db, terms, SearchKind.Article, region, Now);
        foreach (var query in new IQueryable[] { SiteSearch.PageIds(matches, 3), SiteSearch.Counted(matches), SiteSearch.Postings(db, terms[1]) })
        {
            var plan = await PlanAsync(query.ToQueryString());

            Assert.Contains(plan, line => line.Contains("USING COVERING INDEX IX_SearchTerms_Ranked (Term=?)", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.TrimStart().StartsWith("SCAN", StringComparison.Ordinal));
        }

        var results = await SiteSearch.RunAsync(db, new SearchQuery(terms, SearchKind.Article, region, 1), Now, Ct);
        Assert.Equal(123, results.Count);
        // Every tenth article is in Dresden: 123 of them, the title hits (every 41st, so i = 0, 410, 820) first.
        Assert.Equal(["Präventionsrat tagt zum 820. Mal", "Präventionsrat tagt zum 410. Mal", "Präventionsrat tagt zum 0. Mal", "Bericht Nummer 1220"], results.Hits.Take(4).Select(h => h.Title));
    }

    [Fact]
    public void SearchQueries_TranslatedForSqlServer_ParseWithoutErrors()
    {
        using var db = MigrationTests.SqlServerContext();
        var matches = SiteSearch.Matches(db, ["praventionsrat", "jugendarbeit", "dresd"], SearchKind.Event, 3, Now);

        foreach (var query in new IQueryable[] { SiteSearch.PageIds(matches, 2), SiteSearch.Counted(matches), SiteSearch.Postings(db, "rat"), SiteSearch.Documents(db, [1, 2]), SiteSearch.RegionNames(db, [1, 2]) })
        {
            var sql = query.ToQueryString();
            Assert.Contains("SELECT", sql, StringComparison.Ordinal);
            Assert.Empty(SqlParsing.Parse(sql));
        }

        Assert.Contains("ORDER BY [s].[InTitle] DESC, [s].[SortDay] DESC, [s].[DocumentId] DESC", SiteSearch.PageIds(matches, 2).ToQueryString(), StringComparison.Ordinal);
    }

    /// <summary>EXPLAIN QUERY PLAN of EF's SQL, with the parameters that <c>ToQueryString</c> lists as <c>.param set</c> lines.</summary>
    private async Task<List<string>> PlanAsync(string queryString)
    {
        await using var command = _connection.CreateCommand();
        var sql = new List<string>();
        foreach (var line in queryString.Split('\n'))
        {
            var match = ParamLine().Match(line.TrimEnd('\r'));
            if (match.Success)
            {
                var value = match.Groups[2].Value;
                command.Parameters.AddWithValue(match.Groups[1].Value, value.StartsWith('\'')
                    ? value[1..^1].Replace("''", "'", StringComparison.Ordinal)
                    : long.Parse(value, CultureInfo.InvariantCulture));
            }
            else
            {
                sql.Add(line);
            }
        }

        command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', sql).Trim();
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            plan.Add(reader.GetString(3));
        }

        TestContext.Current.SendDiagnosticMessage(string.Join('\n', plan));
        return plan;
    }

    [GeneratedRegex(@"^\.param set (@\w+) (.+)$")]
    private static partial Regex ParamLine();
}

using System.Globalization;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Search;
using LprEvents.Web.ViewModels.Search;
using LprEvents.Web.ViewModels.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

/// <summary>
/// The site search (<c>/suche?q=…</c>): a GET form without a form token, so the page can be cached and linked.
/// Odd input (very long, only punctuation, unknown filters) gets a German message or is ignored, never an error;
/// the query text is not logged.
/// </summary>
[Route("suche")]
[OutputCache(PolicyName = Caching.Search)]
public sealed class SearchController(LprEventsDbContext db, TimeProvider time) : Controller
{
    /// <summary>The type filter's values in the address.</summary>
    public const string ArticlesType = "beitraege";

    public const string EventsType = "veranstaltungen";

    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, string? typ, string? region, string? seite, CancellationToken ct)
    {
        var regions = await ArticlesController.RegionLinks(db).ToListAsync(ct);
        var query = (q ?? "").Trim();
        var type = typ is ArticlesType or EventsType ? typ : null;
        var regionSlug = regions.Any(r => r.Slug == region) ? region : null;
        if (query.Length == 0)
        {
            return View(Model(query, null, null, [], null, null, false, null, []));
        }

        if (query.Length > SearchText.MaxQueryLength)
        {
            return View(Model(query[..SearchText.MaxQueryLength], type, regionSlug, [], null, null, false, $"Der Suchbegriff ist zu lang. Bitte verwenden Sie höchstens {SearchText.MaxQueryLength} Zeichen.", []));
        }

        var words = QueryWords(query);
        if (words.Count == 0)
        {
            return View(Model(query, type, regionSlug, [], null, null, false, "Bitte geben Sie mindestens ein Wort mit zwei oder mehr Buchstaben oder Ziffern ein (Wörter wie „und“ oder „der“ werden nicht gesucht).", []));
        }

        var page = int.TryParse(seite, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : seite is null ? 1 : 0;
        if (page is < 1 or > SiteSearch.MaxPage)
        {
            return NotFound();
        }

        var used = words.Take(SearchText.MaxQueryTerms).ToList();
        var ignored = words.Skip(SearchText.MaxQueryTerms).Select(w => w.Word).ToList();
        var terms = used.Select(w => w.Term).Distinct(StringComparer.Ordinal).ToList();
        var kind = type switch
        {
            ArticlesType => SearchKind.Article,
            EventsType => SearchKind.Event,
            _ => (SearchKind?)null,
        };
        int? regionId = regionSlug is null ? null : await db.Regions.Where(r => r.Slug == regionSlug).Select(r => r.Id).SingleAsync(ct);
        var results = await SiteSearch.RunAsync(db, new SearchQuery(terms, kind, regionId, page), time.GetUtcNow().UtcDateTime, ct);
        var paging = new PageNavigation(page, SiteSearch.PageSize, results.Count);
        if (page > paging.PageCount)
        {
            return NotFound();
        }

        return View(Model(query, type, regionSlug, results.Hits, terms.ToHashSet(StringComparer.Ordinal), paging, results.MoreThanMax, null, ignored));

        SearchViewModel Model(string text, string? t, string? r, IReadOnlyList<SearchHit> hits, IReadOnlySet<string>? searched, PageNavigation? nav, bool more, string? problem, IReadOnlyList<string> ignoredWords) =>
            new(text, t, r, regions, hits, searched ?? new HashSet<string>(), nav, more, problem, ignoredWords);
    }

    /// <summary>The searchable words of a query with their terms, in the order typed, each term once.</summary>
    internal static List<(string Word, string Term)> QueryWords(string query)
    {
        var words = new List<(string Word, string Term)>();
        foreach (var (start, length) in SearchText.Words(query))
        {
            var word = query.Substring(start, length);
            if (SearchText.TermOf(word) is { } term && words.All(w => w.Term != term))
            {
                words.Add((word, term));
            }
        }

        return words;
    }
}

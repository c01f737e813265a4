using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services.Search;

/// <summary>One search as the page asks for it: the words (already turned into terms), the filters and the page.</summary>
public sealed record SearchQuery(IReadOnlyList<string> Terms, SearchKind? Kind, int? RegionId, int Page);

/// <summary>A hit as the results page shows it.</summary>
public sealed record SearchHit(SearchKind Kind, string Title, string Slug, string Text, DateOnly SortDate, IReadOnlyList<string> Regions);

/// <summary>One page of hits and how many there are (counted up to <see cref="SiteSearch.MaxCount"/>).</summary>
public sealed record SearchResults(IReadOnlyList<SearchHit> Hits, int Count, bool MoreThanMax);

/// <summary>
/// Runs a search on the index (docs/decisions/0021). Every word must occur (AND). The rarest word's postings are
/// read in result order straight from the index <c>IX_SearchTerms_Ranked</c> (documents with that word in the
/// title first, then newest first), and each candidate is probed for the other words, the type and the region, so
/// the first page costs the same however many documents match. Counting stops at <see cref="MaxCount"/>.
/// </summary>
public static class SiteSearch
{
    public const int PageSize = 10;

    /// <summary>Counting stops here ("mehr als 1.000 Treffer"); so the pager has at most <see cref="MaxPage"/> pages.</summary>
    public const int MaxCount = 1000;

    public const int MaxPage = MaxCount / PageSize;

    public static async Task<SearchResults> RunAsync(LprEventsDbContext db, SearchQuery query, DateTime nowUtc, CancellationToken ct)
    {
        if (query.Terms.Count == 0)
        {
            return new SearchResults([], 0, false);
        }

        var terms = query.Terms;
        if (terms.Count > 1)
        {
            // The rarest word drives the search; a word that occurs nowhere ends it at once.
            var counts = new List<(string Term, int Count)>();
            foreach (var term in terms)
            {
                counts.Add((term, await Postings(db, term).CountAsync(ct)));
            }

            if (counts.Any(c => c.Count == 0))
            {
                return new SearchResults([], 0, false);
            }

            var driver = counts.OrderBy(c => c.Count).First().Term;
            terms = [driver, .. terms.Where(t => t != driver)];
        }

        var matches = Matches(db, terms, query.Kind, query.RegionId, nowUtc);
        var count = await Counted(matches).CountAsync(ct);
        var ids = count > (query.Page - 1) * PageSize ? await PageIds(matches, query.Page).ToListAsync(ct) : [];
        var documents = ids.Count == 0 ? [] : await Documents(db, ids).ToListAsync(ct);
        var regions = ids.Count == 0 ? [] : await RegionNames(db, ids).ToListAsync(ct);
        var hits = ids.Select(id => documents.Single(d => d.Id == id))
            .Select(d => new SearchHit(d.Kind, d.Title, d.Slug, d.Text, d.SortDate, regions.Where(r => r.DocumentId == d.Id).Select(r => r.Name).ToList()))
            .ToList();
        return new SearchResults(hits, Math.Min(count, MaxCount), count > MaxCount);
    }

    /// <summary>A term's postings, at most one more than <see cref="MaxCount"/>: to choose the rarest word cheaply.</summary>
    internal static IQueryable<int> Postings(LprEventsDbContext db, string term) =>
        InIndexOrder(db.SearchTerms.AsNoTracking().Where(t => t.Term == term)).Select(t => t.DocumentId).Take(MaxCount + 1);

    /// <summary>The postings of the first term whose documents contain every other term and pass the filters.</summary>
    internal static IQueryable<SearchTerm> Matches(LprEventsDbContext db, IReadOnlyList<string> terms, SearchKind? kind, int? regionId, DateTime nowUtc)
    {
        var driver = terms[0];
        var matches = db.SearchTerms.AsNoTracking()
            .Where(t => t.Term == driver && (t.VisibleFromUtc == null || t.VisibleFromUtc <= nowUtc));
        if (kind is { } k)
        {
            matches = matches.Where(t => t.Kind == k);
        }

        foreach (var other in terms.Skip(1))
        {
            matches = matches.Where(t => db.SearchTerms.Any(o => o.DocumentId == t.DocumentId && o.Term == other));
        }

        if (regionId is { } region)
        {
            matches = matches.Where(t => db.Set<SearchDocumentRegion>().Any(r => r.DocumentId == t.DocumentId && r.RegionId == region));
        }

        return matches;
    }

    /// <summary>At most one more than <see cref="MaxCount"/> matches, to count them.</summary>
    internal static IQueryable<int> Counted(IQueryable<SearchTerm> matches) =>
        InIndexOrder(matches).Select(t => t.DocumentId).Take(MaxCount + 1);

    /// <summary>The order of the index, so that a limited read is one range of it (and EF knows the order is meant).</summary>
    private static IOrderedQueryable<SearchTerm> InIndexOrder(IQueryable<SearchTerm> postings) =>
        postings.OrderByDescending(t => t.InTitle).ThenByDescending(t => t.SortDay).ThenByDescending(t => t.DocumentId);

    /// <summary>One page of document ids in result order: the index's own order, read backwards.</summary>
    internal static IQueryable<int> PageIds(IQueryable<SearchTerm> matches, int page) =>
        InIndexOrder(matches)
            .Skip((page - 1) * PageSize)
            .Take(PageSize)
            .Select(t => t.DocumentId);

    internal static IQueryable<DocumentRow> Documents(LprEventsDbContext db, IReadOnlyList<int> ids) =>
        db.SearchDocuments.AsNoTracking()
            .Where(d => ids.Contains(d.Id))
            .Select(d => new DocumentRow(d.Id, d.Kind, d.Title, d.Slug, d.Text, d.SortDate));

    /// <summary>The region names of the documents on a page, in the regions' order.</summary>
    internal static IQueryable<DocumentRegion> RegionNames(LprEventsDbContext db, IReadOnlyList<int> ids) =>
        db.Set<SearchDocumentRegion>().AsNoTracking()
            .Where(x => ids.Contains(x.DocumentId))
            .Join(db.Regions, x => x.RegionId, r => r.Id, (x, r) => new { x.DocumentId, r.Name, r.SortOrder })
            .OrderBy(x => x.SortOrder)
            .Select(x => new DocumentRegion(x.DocumentId, x.Name));

    internal sealed record DocumentRegion(int DocumentId, string Name);

    internal sealed record DocumentRow(int Id, SearchKind Kind, string Title, string Slug, string Text, DateOnly SortDate);
}

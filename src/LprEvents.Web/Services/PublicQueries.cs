using System.Linq.Expressions;
using LprEvents.Web.Domain;
using LprEvents.Web.ViewModels.Shared;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services;

/// <summary>
/// What the public may see, and the projections the public pages read. Kept in one place so that a draft
/// cannot leak through one page while another hides it.
/// </summary>
public static class PublicQueries
{
    public static IQueryable<Article> VisibleAt(this IQueryable<Article> articles, DateTime nowUtc) =>
        articles.Where(a => a.DeletedAtUtc == null && a.Status != ArticleStatus.Draft && a.PublishedAtUtc != null && a.PublishedAtUtc <= nowUtc);

    /// <summary>Public now or scheduled to become public: what the site search indexes (it checks the time when searching).</summary>
    public static IQueryable<Article> PublicOrScheduled(this IQueryable<Article> articles) =>
        articles.Where(a => a.DeletedAtUtc == null && a.Status != ArticleStatus.Draft && a.PublishedAtUtc != null);

    /// <summary>Newest first by the article's own date (a report sorts on its meeting's day), then by when it went online.</summary>
    public static IOrderedQueryable<Article> NewestFirst(this IQueryable<Article> articles) =>
        articles.OrderByDescending(a => a.Date).ThenByDescending(a => a.PublishedAtUtc).ThenByDescending(a => a.Id);

    /// <summary>Published and cancelled events; a cancelled event stays visible with its notice.</summary>
    /// <remarks>Named, not "not a draft": an index on Status can serve equalities, never an inequality.</remarks>
    public static IQueryable<Event> Public(this IQueryable<Event> events) =>
        events.Where(e => e.Status == EventStatus.Published || e.Status == EventStatus.Cancelled);

    public static IQueryable<Event> Upcoming(this IQueryable<Event> events, DateTime nowUtc) =>
        events.Where(e => e.EndsAtUtc >= nowUtc);

    public static IQueryable<Event> Past(this IQueryable<Event> events, DateTime nowUtc) =>
        events.Where(e => e.EndsAtUtc < nowUtc);

    /// <summary>How much of a body a card without teaser reads for its description (about 160 characters shown).</summary>
    public const int DescriptionSourceLength = 2000;

    public static IQueryable<ArticleCard> SelectCards(this IQueryable<Article> articles) =>
        articles.Select(a => new ArticleCard(
            a.Title,
            a.Slug,
            // Only cards without a teaser need the body, and only its beginning: never the whole text of every card.
            MarkdownRenderer.Describe(a.Teaser, a.Teaser != "" ? null : a.Body.Substring(0, DescriptionSourceLength), 160),
            a.Date,
            a.LeadImage == null
                ? null
                : new ImageView(a.LeadImage.FileName, a.LeadImage.AltText, a.LeadImage.Caption, a.LeadImage.Credit, a.LeadImage.Width ?? 0, a.LeadImage.Height ?? 0, a.LeadImage.VariantWidths),
            a.Regions.OrderBy(r => r.SortOrder).Select(r => r.Name).ToList()))
            // In one query the region names come from a LEFT JOIN on a joined subquery, which SQLite materialises for
            // the whole ArticleRegions table on every list page; a second query joins only the page's rows.
            .AsSplitQuery();

    /// <summary>The event columns a card needs, with the count of seat-holding participants computed by the database.</summary>
    public static IQueryable<EventRow> SelectRows(this IQueryable<Event> events) =>
        events.Select(EventRowProjection).AsSplitQuery();

    /// <summary>The card of the first matching event, or null.</summary>
    public static async Task<EventCard?> FirstCardAsync(this IQueryable<Event> events, DateTime nowUtc, CancellationToken ct) =>
        (await events.SelectRows().FirstOrDefaultAsync(ct))?.ToCard(nowUtc);

    private static readonly Expression<Func<Event, EventRow>> EventRowProjection = e => new EventRow(
        e.Title,
        e.Slug,
        e.Kind,
        e.Status,
        e.StartsAtUtc,
        e.EndsAtUtc,
        e.VenueName,
        e.VenueCity,
        e.Summary,
        e.RegistrationOpensAtUtc,
        e.RegistrationClosesAtUtc,
        e.Capacity,
        e.WaitingListEnabled,
        e.Participants.AsQueryable().Count(ParticipantRules.HoldsSeat),
        e.Regions.OrderBy(r => r.SortOrder).Select(r => r.Name).ToList());
}

public sealed record EventRow(
    string Title,
    string Slug,
    EventKind Kind,
    EventStatus Status,
    DateTime StartsAtUtc,
    DateTime EndsAtUtc,
    string VenueName,
    string VenueCity,
    string Summary,
    DateTime? OpensAtUtc,
    DateTime? ClosesAtUtc,
    int? Capacity,
    bool WaitingListEnabled,
    int Confirmed,
    List<string> Regions)
{
    public EventCard ToCard(DateTime nowUtc) => new(
        Title,
        Slug,
        Kind,
        StartsAtUtc,
        EndsAtUtc,
        VenueName,
        VenueCity,
        Summary,
        Regions,
        new RegistrationInfo(
            RegistrationRules.StateOf(Status, StartsAtUtc, EndsAtUtc, OpensAtUtc, ClosesAtUtc, Capacity, WaitingListEnabled, Confirmed, nowUtc),
            Capacity,
            Confirmed,
            OpensAtUtc,
            ClosesAtUtc));
}

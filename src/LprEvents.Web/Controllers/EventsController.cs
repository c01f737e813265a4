using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Events;
using LprEvents.Web.ViewModels.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

[Route("veranstaltungen")]
public sealed class EventsController(LprEventsDbContext db, MarkdownRenderer markdown, TimeProvider time, PublicCache cache) : Controller
{
    public const int PastPageSize = 10;

    /// <summary>Upcoming events are few; the cap only guards against a runaway list.</summary>
    public const int MaxUpcoming = 100;

    [HttpGet("")]
    [OutputCache(PolicyName = Caching.EventList)]
    public async Task<IActionResult> Index(string? region, int seite = 1, CancellationToken ct = default)
    {
        if (seite < 1)
        {
            return NotFound();
        }

        RegionLink? regionLink = null;
        if (region is not null)
        {
            regionLink = await db.Regions.AsNoTracking().Where(r => r.Slug == region).Select(r => new RegionLink(r.Name, r.Slug)).FirstOrDefaultAsync(ct);
            if (regionLink is null)
            {
                return NotFound();
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var upcoming = (await Upcoming(db, now, region).ToListAsync(ct)).ConvertAll(r => r.ToCard(now));
        var pastCount = await cache.ListValueAsync($"events:past:{region}", now, () => InRegion(CardRows(db).Past(now), region).CountAsync(ct));
        var paging = new PageNavigation(seite, PastPageSize, pastCount);
        if (seite > paging.PageCount)
        {
            return NotFound();
        }

        var past = (await PastPage(db, now, seite, region).ToListAsync(ct)).ConvertAll(r => r.ToCard(now));
        return View(new EventListViewModel(upcoming, past, paging, regionLink));
    }

    [HttpGet("{slug}")]
    [OutputCache(PolicyName = Caching.PublicPage)]
    public async Task<IActionResult> Detail(string slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var card = await CardRows(db).Where(e => e.Slug == slug).FirstCardAsync(now, ct);
        if (card is null)
        {
            return NotFound();
        }

        var details = await Details(db, slug).FirstAsync(ct);
        var sessions = await Program(db, details.Id).ToListAsync(ct);
        var reports = await Reports(db, now, details.Id).ToListAsync(ct);

        return View(new EventViewModel(
            card,
            details.VenueStreet,
            details.VenuePostcode,
            details.Organisers,
            details.TargetAudience,
            markdown.Render(details.Description),
            details.WaitingListEnabled,
            ImageView.From(details.LeadImage),
            details.Regions,
            sessions.ConvertAll(s => new SessionView(s.StartsAtUtc, s.EndsAtUtc, s.Title, s.Kind, s.Speakers, s.Room, markdown.Render(s.Description), s.Capacity, s.Taken, s.MaterialsFile is null ? null : MediaStorage.Url(s.MaterialsFile), s.MaterialsName)),
            reports));
    }

    /// <summary>Events the public may see: published and cancelled ones.</summary>
    internal static IQueryable<Event> CardRows(LprEventsDbContext db) => db.Events.AsNoTracking().Public();

    /// <summary>The events of one region, or all when <paramref name="region"/> is null.</summary>
    internal static IQueryable<Event> InRegion(IQueryable<Event> events, string? region) =>
        region is null ? events : events.Where(e => e.Regions.Any(r => r.Slug == region));

    /// <summary>Upcoming events, soonest first. Found through IX_Events_Status_EndsAtUtc: the cost follows the upcoming events, not the archive.</summary>
    internal static IQueryable<EventRow> Upcoming(LprEventsDbContext db, DateTime now, string? region = null, int take = MaxUpcoming) =>
        InRegion(CardRows(db).Upcoming(now), region).OrderBy(e => e.StartsAtUtc).ThenBy(e => e.Id).Take(take).SelectRows();

    /// <summary>A page of past events, latest first; like the news list a deferred join over IX_Events_LatestFirst.</summary>
    internal static IQueryable<EventRow> PastPage(LprEventsDbContext db, DateTime now, int page, string? region = null)
    {
        var ids = InRegion(CardRows(db).Past(now), region)
            .OrderByDescending(e => e.StartsAtUtc).ThenByDescending(e => e.Id)
            .Skip((page - 1) * PastPageSize)
            .Take(PastPageSize)
            .Select(e => e.Id);
        return db.Events.AsNoTracking()
            .Where(e => ids.Contains(e.Id))
            .OrderByDescending(e => e.StartsAtUtc).ThenByDescending(e => e.Id)
            .SelectRows();
    }

    internal static IQueryable<EventDetailsRow> Details(LprEventsDbContext db, string slug) =>
        db.Events.AsNoTracking()
            .Where(e => e.Slug == slug)
            .Select(e => new EventDetailsRow(
                e.Id,
                e.VenueStreet,
                e.VenuePostcode,
                e.Organisers,
                e.TargetAudience,
                e.Description,
                e.WaitingListEnabled,
                e.LeadImage,
                e.Regions.OrderBy(r => r.SortOrder).Select(r => new RegionLink(r.Name, r.Slug)).ToList()))
            .AsSplitQuery();

    internal static IQueryable<SessionRow> Program(LprEventsDbContext db, int eventId) =>
        db.Sessions.AsNoTracking()
            .Where(s => s.EventId == eventId)
            .InProgramOrder()
            .Select(s => new SessionRow(
                s.StartsAtUtc,
                s.EndsAtUtc,
                s.Title,
                s.Kind,
                s.Speakers,
                s.Room,
                s.Description,
                s.Capacity,
                s.Participants.AsQueryable().Count(ParticipantRules.HoldsSeat),
                s.Materials == null ? null : s.Materials.FileName,
                s.Materials == null ? null : s.Materials.OriginalFileName));

    internal static IQueryable<ArticleCard> Reports(LprEventsDbContext db, DateTime now, int eventId) =>
        db.Articles.AsNoTracking()
            .VisibleAt(now)
            .Where(a => a.EventId == eventId)
            .NewestFirst()
            .SelectCards();

    internal sealed record EventDetailsRow(
        int Id,
        string VenueStreet,
        string VenuePostcode,
        string Organisers,
        string TargetAudience,
        string Description,
        bool WaitingListEnabled,
        MediaAsset? LeadImage,
        List<RegionLink> Regions);

    internal sealed record SessionRow(
        DateTime StartsAtUtc,
        DateTime EndsAtUtc,
        string Title,
        SessionKind Kind,
        string Speakers,
        string Room,
        string Description,
        int? Capacity,
        int Taken,
        string? MaterialsFile,
        string? MaterialsName);
}

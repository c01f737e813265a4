using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.ViewModels.Events;
using LprEvents.Web.ViewModels.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

[Route("veranstaltungen")]
public sealed class EventsController(LprEventsDbContext db, MarkdownRenderer markdown, TimeProvider time) : Controller
{
    public const int PastPageSize = 10;

    /// <summary>Upcoming events are few; the cap only guards against a runaway list.</summary>
    public const int MaxUpcoming = 100;

    [HttpGet("")]
    public async Task<IActionResult> Index(int seite = 1, CancellationToken ct = default)
    {
        if (seite is < 1 or > ArticlesController.MaxPage)
        {
            return NotFound();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var events = db.Events.AsNoTracking().Public();
        var upcoming = await events.Upcoming(now)
            .OrderBy(e => e.StartsAtUtc)
            .Take(MaxUpcoming)
            .ToCardsAsync(now, ct);

        var past = events.Past(now);
        var paging = new PageNavigation(seite, PastPageSize, await past.CountAsync(ct));
        if (seite > paging.PageCount)
        {
            return NotFound();
        }

        var pastCards = await past
            .OrderByDescending(e => e.StartsAtUtc).ThenByDescending(e => e.Id)
            .Skip((seite - 1) * PastPageSize)
            .Take(PastPageSize)
            .ToCardsAsync(now, ct);
        return View(new EventListViewModel(upcoming, pastCards, paging));
    }

    [HttpGet("{slug}")]
    public async Task<IActionResult> Detail(string slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var card = (await db.Events.AsNoTracking().Public().Where(e => e.Slug == slug).ToCardsAsync(now, ct)).FirstOrDefault();
        if (card is null)
        {
            return NotFound();
        }

        var details = await db.Events.AsNoTracking()
            .Where(e => e.Slug == slug)
            .Select(e => new
            {
                e.Id,
                e.VenueStreet,
                e.VenuePostcode,
                e.OnlineUrl,
                e.Organisers,
                e.TargetAudience,
                e.Description,
                e.WaitingListEnabled,
                e.LeadImage,
                Regions = e.Regions.OrderBy(r => r.SortOrder).Select(r => new RegionLink(r.Name, r.Slug)).ToList(),
            })
            .FirstAsync(ct);

        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.EventId == details.Id)
            .OrderBy(s => s.StartsAtUtc).ThenBy(s => s.Id)
            .Select(s => new
            {
                s.StartsAtUtc,
                s.EndsAtUtc,
                s.Title,
                s.Kind,
                s.Speakers,
                s.Room,
                s.Description,
                s.Capacity,
                Taken = s.Participants.Count(p => p.Status == ParticipantStatus.Confirmed || p.Status == ParticipantStatus.Attended),
            })
            .ToListAsync(ct);

        var reports = await db.Articles.AsNoTracking()
            .VisibleAt(now)
            .Where(a => a.EventId == details.Id)
            .OrderByDescending(a => a.PublishedAtUtc)
            .SelectCards()
            .ToListAsync(ct);

        return View(new EventViewModel(
            card,
            details.VenueStreet,
            details.VenuePostcode,
            details.OnlineUrl,
            details.Organisers,
            details.TargetAudience,
            markdown.Render(details.Description),
            details.WaitingListEnabled,
            ImageView.From(details.LeadImage),
            details.Regions,
            sessions.ConvertAll(s => new SessionView(s.StartsAtUtc, s.EndsAtUtc, s.Title, s.Kind, s.Speakers, s.Room, markdown.Render(s.Description), s.Capacity, s.Taken)),
            reports));
    }
}

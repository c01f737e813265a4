using System.Text;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Email;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Controllers;

/// <summary>
/// Public calendars to subscribe to (webcal) or download: all events, a region's, one event's. Only what the event page
/// shows goes in; the online access link is never even read from the database.
/// </summary>
[OutputCache(PolicyName = Caching.PublicPage)]
public sealed class CalendarsController(LprEventsDbContext db, PublicUrls urls, TimeProvider time) : Controller
{
    /// <summary>How far back a calendar reaches: last year's meetings stay in subscribers' calendars, older ones drop out.</summary>
    public const int MonthsBack = 12;

    /// <summary>Guards against a runaway calendar; upcoming events are a few dozen.</summary>
    public const int MaxEvents = 1000;

    private const string ContentType = IcsBuilder.ContentType + "; charset=utf-8";

    private const string SiteName = "Landespräventionsrat Sachsen";

    [HttpGet("kalender.ics")]
    public async Task<IActionResult> Site(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var events = await Window(db.Events.AsNoTracking().Public(), now).ToListAsync(ct);
        return Calendar($"{SiteName}: Veranstaltungen", events, "veranstaltungen-lpr-sachsen.ics", now);
    }

    [HttpGet("regionen/{slug}/kalender.ics")]
    public async Task<IActionResult> Region(string slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var name = await db.Regions.AsNoTracking().Where(r => r.Slug == slug).Select(r => r.Name).FirstOrDefaultAsync(ct);
        if (name is null)
        {
            return NotFound();
        }

        var events = await RegionWindow(db, now, slug).ToListAsync(ct);
        return Calendar($"{SiteName}: Veranstaltungen in der Region {name}", events, $"veranstaltungen-{slug}.ics", now);
    }

    [HttpGet("veranstaltungen/{slug}/kalender.ics")]
    public async Task<IActionResult> Event(string slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var e = await PublicFacts(db.Events.AsNoTracking().Public().Where(e => e.Slug == slug)).FirstOrDefaultAsync(ct);
        return e is null ? NotFound() : Calendar($"{SiteName}: {e.Title}", [e], IcsBuilder.FileName(e), now);
    }

    internal static IQueryable<Event> RegionWindow(LprEventsDbContext db, DateTime now, string slug) =>
        Window(db.Events.AsNoTracking().Public().Where(e => e.Regions.Any(r => r.Slug == slug)), now);

    /// <summary>Every upcoming event and those of the last <see cref="MonthsBack"/> months; the most recent when there are too many.</summary>
    internal static IQueryable<Event> Window(IQueryable<Event> events, DateTime now)
    {
        var since = now.AddMonths(-MonthsBack);
        return PublicFacts(events.Where(e => e.EndsAtUtc >= since).OrderByDescending(e => e.StartsAtUtc).ThenByDescending(e => e.Id).Take(MaxEvents));
    }

    /// <summary>The columns a public calendar entry needs, and no others (no description, no online access link).</summary>
    private static IQueryable<Event> PublicFacts(IQueryable<Event> events) =>
        events.Select(e => new Event
        {
            Id = e.Id,
            Title = e.Title,
            Slug = e.Slug,
            Kind = e.Kind,
            Status = e.Status,
            StartsAtUtc = e.StartsAtUtc,
            EndsAtUtc = e.EndsAtUtc,
            VenueName = e.VenueName,
            VenueStreet = e.VenueStreet,
            VenuePostcode = e.VenuePostcode,
            VenueCity = e.VenueCity,
            Summary = e.Summary,
            UpdatedAtUtc = e.UpdatedAtUtc,
        });

    private FileContentResult Calendar(string name, IReadOnlyList<Event> events, string fileName, DateTime now)
    {
        var ics = IcsBuilder.PublicCalendar(name, events.OrderBy(e => e.StartsAtUtc).ThenBy(e => e.Id), e => urls.Event(e.Slug), now);
        return File(Encoding.UTF8.GetBytes(ics), ContentType, fileName);
    }
}

using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Participants;
using LprEvents.Web.Services.Publishing;
using LprEvents.Web.Services.Registration;
using LprEvents.Web.Services.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Areas.Admin.Controllers;

/// <summary>Running a meeting: participants, check-in at the door, exports, printouts, statistics, report.</summary>
[Route("admin/veranstaltungen")]
public sealed class EventsController(
    LprEventsDbContext db,
    ParticipantAdmin participants,
    RegistrationService registrations,
    EventNotifications notifications,
    AuditLog audit,
    TimeProvider time,
    SearchIndexer search) : AdminController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await db.Events.AsNoTracking()
            .OrderBy(e => e.StartsAtUtc)
            .Select(e => new EventAdminRow(
                e.Id,
                e.Title,
                e.Status,
                e.StartsAtUtc,
                e.VenueCity,
                e.Capacity,
                e.Participants.AsQueryable().Count(ParticipantRules.HoldsSeat),
                e.Participants.Count(p => p.Status == ParticipantStatus.WaitingList)))
            .ToListAsync(ct);
        return View(new EventAdminListViewModel(
            rows.Where(r => r.StartsAtUtc >= now.AddDays(-1)).ToList(),
            rows.Where(r => r.StartsAtUtc < now.AddDays(-1)).OrderByDescending(r => r.StartsAtUtc).ToList()));
    }

    [HttpGet("{id:int}/teilnehmende")]
    public async Task<IActionResult> Participants(int id, string? status, string? suche, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        if (header is null)
        {
            return NotFound();
        }

        var filter = ParseStatus(status);
        var rows = await participants.ListAsync(id, filter, suche, ct);
        if (filter == ParticipantStatus.WaitingList)
        {
            rows = [.. rows.OrderBy(r => r.WaitingPosition)];
        }

        var counts = await participants.CountsAsync(id, ct);
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.EventId == id && s.Capacity != null).InProgramOrder()
            .Select(s => new SessionCount(s.Title, s.Capacity, s.Participants.AsQueryable().Count(ParticipantRules.HoldsSeat)))
            .ToListAsync(ct);
        return View(new ParticipantsViewModel(header, rows, counts, sessions, filter, suche));
    }

    [HttpGet("{id:int}/einlass")]
    public async Task<IActionResult> CheckIn(int id, string? suche, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        if (header is null)
        {
            return NotFound();
        }

        var rows = await participants.SeatHoldersAsync(id, suche, ct);
        return View(new ParticipantsViewModel(header, rows, await participants.CountsAsync(id, ct), [], null, suche));
    }

    [HttpPost("{id:int}/teilnehmende/{participantId:int}/anwesend")]
    public async Task<IActionResult> SetPresent(int id, int participantId, bool anwesend, string? zurueck, string? suche, CancellationToken ct)
    {
        if (!await BelongsAsync(id, participantId, ct))
        {
            return NotFound();
        }

        if (await registrations.SetAttendanceAsync(participantId, anwesend, ct))
        {
            audit.Record(anwesend ? "checked-in" : "checked-out", "Participant", participantId, $"Einlass bei Veranstaltung {id}");
            await db.SaveChangesAsync(ct);
        }

        return zurueck == "einlass"
            ? Redirect($"/admin/veranstaltungen/{id}/einlass{(string.IsNullOrEmpty(suche) ? "" : "?suche=" + Uri.EscapeDataString(suche))}#p{participantId}")
            : RedirectToAction(nameof(Participants), new { id });
    }

    [HttpGet("{id:int}/einlass/vor-ort")]
    public async Task<IActionResult> WalkIn(int id, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        return header is null ? NotFound() : View(await WalkInModelAsync(header, new WalkInForm(), ct));
    }

    /// <summary>A person without registration at the door (<see cref="RegistrationService.AddWalkInAsync"/>).</summary>
    [HttpPost("{id:int}/einlass/vor-ort")]
    public async Task<IActionResult> WalkIn(int id, WalkInForm form, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        if (header is null)
        {
            return NotFound();
        }

        var result = new WalkInFormValidator().Validate(form);
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
        }

        if (result.IsValid)
        {
            var request = new WalkInRequest(form.FirstName!, form.LastName!, form.Organisation ?? "", form.OrganisationType!.Value, form.PhotoConsent);
            var (outcome, participantId) = await registrations.AddWalkInAsync(id, request, form.BeyondCapacity, ct);
            switch (outcome)
            {
                case WalkInOutcome.Added:
                    audit.Record("walk-in", "Participant", participantId, $"Ohne Anmeldung vor Ort aufgenommen (Veranstaltung {id}){(form.BeyondCapacity ? ", über die Zahl der Plätze hinaus" : "")}");
                    await db.SaveChangesAsync(ct);
                    Flash($"{request.FirstName.Trim()} {request.LastName.Trim()} ist aufgenommen und eingecheckt.");
                    return Redirect($"/admin/veranstaltungen/{id}/einlass#p{participantId}");
                case WalkInOutcome.Full:
                    ModelState.AddModelError(nameof(WalkInForm.BeyondCapacity), "Alle Plätze sind vergeben. Bestätigen Sie, dass die Person trotzdem teilnimmt.");
                    break;
                default:
                    Flash("Die Veranstaltung ist abgesagt oder vorbei: Es kann niemand mehr aufgenommen werden.");
                    return Redirect($"/admin/veranstaltungen/{id}/einlass");
            }
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(await WalkInModelAsync(header, form, ct));
    }

    private async Task<WalkInViewModel> WalkInModelAsync(EventHeader header, WalkInForm form, CancellationToken ct)
    {
        var taken = await db.Participants.Where(p => p.EventId == header.Id).Where(ParticipantRules.HoldsSeat).CountAsync(ct);
        return new WalkInViewModel(header, form, header.Capacity is { } capacity && taken >= capacity, taken);
    }

    [HttpPost("{id:int}/teilnehmende/{participantId:int}/nachruecken")]
    public async Task<IActionResult> Promote(int id, int participantId, CancellationToken ct)
    {
        if (!await BelongsAsync(id, participantId, ct))
        {
            return NotFound();
        }

        var problem = await registrations.PromoteAsync(participantId, ct);
        if (problem is null)
        {
            audit.Record("moved-up", "Participant", participantId, $"Von der Warteliste nachgerückt (Veranstaltung {id})");
            await db.SaveChangesAsync(ct);
        }

        Flash(problem ?? "Die Person ist nachgerückt und wird per E-Mail informiert.");
        return RedirectToAction(nameof(Participants), new { id });
    }

    /// <summary>Asks before cancelling: the person is e-mailed and loses the seat.</summary>
    [HttpGet("{id:int}/teilnehmende/{participantId:int}/absagen")]
    public async Task<IActionResult> ConfirmCancelParticipant(int id, int participantId, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        var row = header is null ? null : (await participants.ListAsync(id, null, null, ct)).SingleOrDefault(p => p.Id == participantId);
        return header is null || row is null
            ? NotFound()
            : View("Confirm", new ConfirmViewModel(header, $"Anmeldung von {row.FirstName} {row.LastName} ({row.Organisation}) absagen?", "Die Person erhält eine E-Mail; ein frei werdender Platz geht an die Warteliste.", $"/admin/veranstaltungen/{id}/teilnehmende/{participantId}/absagen", "Ja, Anmeldung absagen"));
    }

    [HttpGet("{id:int}/absagen")]
    public async Task<IActionResult> ConfirmCancelEvent(int id, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        if (header is null)
        {
            return NotFound();
        }

        var active = (await participants.CountsAsync(id, ct)).Where(kv => kv.Key != ParticipantStatus.Cancelled).Sum(kv => kv.Value);
        return View("Confirm", new ConfirmViewModel(header, $"„{header.Title}“ absagen?", $"Alle {active} Angemeldeten erhalten eine E-Mail, und die Anmeldung wird geschlossen. Das lässt sich nicht rückgängig machen.", $"/admin/veranstaltungen/{id}/absagen", "Ja, Veranstaltung absagen"));
    }

    [HttpPost("{id:int}/teilnehmende/{participantId:int}/absagen")]
    public async Task<IActionResult> CancelParticipant(int id, int participantId, CancellationToken ct)
    {
        if (!await BelongsAsync(id, participantId, ct))
        {
            return NotFound();
        }

        if (await registrations.AdminCancelAsync(participantId, ct))
        {
            audit.Record("cancelled", "Participant", participantId, $"Anmeldung durch die Redaktion abgesagt (Veranstaltung {id})");
            await db.SaveChangesAsync(ct);
            Flash("Die Anmeldung ist abgesagt; die Person wird per E-Mail informiert.");
        }

        return RedirectToAction(nameof(Participants), new { id });
    }

    [HttpGet("{id:int}/export.csv")]
    public Task<IActionResult> ExportCsv(int id, CancellationToken ct) => ExportAsync(id, "csv", ct);

    [HttpGet("{id:int}/export.xlsx")]
    public Task<IActionResult> ExportXlsx(int id, CancellationToken ct) => ExportAsync(id, "xlsx", ct);

    /// <param name="nach">"kleingruppen": one list per small group, for the people running the groups.</param>
    [HttpGet("{id:int}/anwesenheitsliste")]
    public async Task<IActionResult> AttendanceList(int id, string? nach, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        if (header is null)
        {
            return NotFound();
        }

        var rows = await participants.SeatHoldersAsync(id, null, ct);
        audit.Record("printed", "Event", id, $"Anwesenheitsliste „{header.Title}“ ({rows.Count} Personen)");
        await db.SaveChangesAsync(ct);
        return View(new ParticipantsViewModel(header, rows, new Dictionary<ParticipantStatus, int>(), [], null, null, nach == "kleingruppen"));
    }

    [HttpGet("{id:int}/namensschilder")]
    public async Task<IActionResult> Badges(int id, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        if (header is null)
        {
            return NotFound();
        }

        var rows = await participants.SeatHoldersAsync(id, null, ct);
        return View(new ParticipantsViewModel(header, rows, new Dictionary<ParticipantStatus, int>(), [], null, null));
    }

    [HttpGet("{id:int}/statistik")]
    public async Task<IActionResult> Statistics(int id, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        if (header is null)
        {
            return NotFound();
        }

        var (byRegion, byType, total) = await participants.StatisticsAsync(id, ct);
        return View(new StatisticsViewModel(header, byRegion, byType, total));
    }

    [HttpPost("{id:int}/absagen")]
    public async Task<IActionResult> CancelEvent(int id, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        if (header is null)
        {
            return NotFound();
        }

        var notified = await notifications.CancelEventAsync(id, ct);
        audit.Record("cancelled", "Event", id, $"Veranstaltung „{header.Title}“ abgesagt, {notified} Angemeldete informiert");
        await db.SaveChangesAsync(ct);
        // A cancelled event stays public (with its notice); one cancelled while still a draft becomes public now.
        await search.IndexEventAsync(id, ct);
        Flash($"Die Veranstaltung ist abgesagt. {notified} angemeldete Personen werden per E-Mail informiert.");
        return RedirectToAction(nameof(Participants), new { id });
    }

    /// <summary>"Bericht schreiben": a draft article with the event's facts, program and attendance, linked to the event.</summary>
    [HttpPost("{id:int}/bericht")]
    public async Task<IActionResult> WriteReport(int id, CancellationToken ct)
    {
        var e = await db.Events.AsNoTracking().Include(x => x.Regions).Include(x => x.Sessions).AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (e is null)
        {
            return NotFound();
        }

        var (byRegion, total) = await ReportDraft.AttendanceAsync(db, id, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var article = new Article
        {
            Title = $"Bericht: {e.Title}",
            Slug = await FreeSlugAsync(Slugs.WithYear($"Bericht {e.Title}", BerlinTime.ToLocal(e.StartsAtUtc).Year), ct),
            Teaser = ReportDraft.Teaser(e, total),
            Body = ReportDraft.Compose(e, byRegion, total),
            Status = ArticleStatus.Draft,
            EventId = e.Id,
            LeadImageId = e.LeadImageId,
            // A report is dated on its meeting's day, whenever it is written.
            Date = DateOnly.FromDateTime(BerlinTime.ToLocal(e.StartsAtUtc)),
            Author = User.Identity?.Name ?? "",
            AuthorId = User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        foreach (var region in e.Regions)
        {
            db.Attach(region);
            article.Regions.Add(region);
        }

        db.Articles.Add(article);
        await db.SaveChangesAsync(ct);
        audit.Record("created", "Article", article.Id, $"Berichtsentwurf zu „{e.Title}“ angelegt");
        await db.SaveChangesAsync(ct);
        Flash("Der Berichtsentwurf ist angelegt. Ergänzen Sie ihn und veröffentlichen Sie ihn, wenn er fertig ist.");
        return Redirect($"/admin/beitraege/{article.Id}");
    }

    private async Task<IActionResult> ExportAsync(int id, string format, CancellationToken ct)
    {
        var header = await HeaderAsync(id, ct);
        if (header is null)
        {
            return NotFound();
        }

        var rows = await participants.ListAsync(id, null, null, ct);
        audit.Record("exported", "Event", id, $"Teilnehmende von „{header.Title}“ als {format.ToUpperInvariant()} exportiert ({rows.Count} Zeilen)");
        await db.SaveChangesAsync(ct);
        var name = $"teilnehmende-{header.Slug}";
        return format == "csv"
            ? File(ParticipantAdmin.ToCsv(rows), "text/csv; charset=utf-8", $"{name}.csv")
            : File(ParticipantAdmin.ToXlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}.xlsx");
    }

    private Task<bool> BelongsAsync(int eventId, int participantId, CancellationToken ct) =>
        db.Participants.AnyAsync(p => p.Id == participantId && p.EventId == eventId, ct);

    private async Task<EventHeader?> HeaderAsync(int id, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Events.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new EventHeader(e.Id, e.Title, e.Slug, e.Status, e.StartsAtUtc, e.EndsAtUtc, e.VenueName + ", " + e.VenueCity, e.Capacity, e.EndsAtUtc < now))
            .SingleOrDefaultAsync(ct);
    }

    private Task<string> FreeSlugAsync(string slug, CancellationToken ct) =>
        Slugs.UniqueAsync(slug, candidate => db.Articles.AnyAsync(x => x.Slug == candidate, ct));

    private static ParticipantStatus? ParseStatus(string? status) => status switch
    {
        "bestaetigt" => ParticipantStatus.Confirmed,
        "warteliste" => ParticipantStatus.WaitingList,
        "unbestaetigt" => ParticipantStatus.AwaitingConfirmation,
        "abgesagt" => ParticipantStatus.Cancelled,
        "anwesend" => ParticipantStatus.Attended,
        _ => null,
    };
}

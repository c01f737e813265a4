using FluentValidation.AspNetCore;
using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Publishing;
using LprEvents.Web.Services.Registration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Areas.Admin.Controllers;

/// <summary>Creating and editing events and their program; copying last year's meeting as a start.</summary>
[Route("admin/veranstaltungen")]
public sealed class EventEditorController(
    LprEventsDbContext db,
    EventNotifications notifications,
    RegistrationService registrations,
    AuditLog audit,
    TimeProvider time) : AdminController
{
    [HttpGet("neu")]
    public async Task<IActionResult> Create(CancellationToken ct) => View("Edit", await EditorAsync(null, new EventForm(), ct));

    [HttpPost("neu")]
    public Task<IActionResult> Create(EventForm form, CancellationToken ct) => SaveAsync(null, form, ct);

    [HttpGet("{id:int}/bearbeiten")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var e = await db.Events.AsNoTracking().Include(x => x.Regions).SingleOrDefaultAsync(x => x.Id == id, ct);
        return e is null ? NotFound() : View(await EditorAsync(id, ToForm(e), ct));
    }

    [HttpPost("{id:int}/bearbeiten")]
    public Task<IActionResult> Edit(int id, EventForm form, CancellationToken ct) => SaveAsync(id, form, ct);

    [HttpPost("{id:int}/programm")]
    public async Task<IActionResult> AddSession(int id, [Bind(Prefix = "NewSession")] SessionForm form, CancellationToken ct)
    {
        var e = await db.Events.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (e is null)
        {
            return NotFound();
        }

        var result = new SessionFormValidator(DateOnly.FromDateTime(BerlinTime.ToLocal(e.StartsAtUtc))).Validate(form);
        if (!result.IsValid)
        {
            // Back to the page with everything typed still in the fields.
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("NewSession." + error.PropertyName, error.ErrorMessage);
            }

            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            var stored = await db.Events.AsNoTracking().Include(x => x.Regions).SingleAsync(x => x.Id == id, ct);
            var model = await EditorAsync(id, ToForm(stored), ct);
            return View("Edit", model with { NewSession = form });
        }

        var day = DateOnly.FromDateTime(BerlinTime.ToLocal(e.StartsAtUtc));
        db.Sessions.Add(new Session
        {
            EventId = id,
            StartsAtUtc = BerlinTime.ToUtc(day.ToDateTime(form.Start!.Value)),
            EndsAtUtc = BerlinTime.ToUtc(day.ToDateTime(form.End!.Value)),
            Title = form.Title!.Trim(),
            Kind = form.Kind,
            Speakers = form.Speakers?.Trim() ?? "",
            Room = form.Room?.Trim() ?? "",
            Description = form.Description ?? "",
            Capacity = form.Capacity,
            MaterialsId = form.MaterialsId is { } pdf && await db.MediaAssets.AnyAsync(m => m.Id == pdf && m.Kind == MediaKind.Pdf, ct) ? pdf : null,
        });
        audit.Record("changed", "Event", id, $"Programmpunkt „{form.Title}“ zu „{e.Title}“ hinzugefügt");
        await db.SaveChangesAsync(ct);
        Flash($"Der Programmpunkt „{form.Title}“ ist angelegt.");
        return Redirect($"/admin/veranstaltungen/{id}/bearbeiten#programm");
    }

    [HttpPost("{id:int}/programm/{sessionId:int}/loeschen")]
    public async Task<IActionResult> DeleteSession(int id, int sessionId, CancellationToken ct)
    {
        var session = await db.Sessions.Include(s => s.Participants).SingleOrDefaultAsync(s => s.Id == sessionId && s.EventId == id, ct);
        if (session is null)
        {
            return NotFound();
        }

        if (session.Participants.Count > 0)
        {
            Flash($"„{session.Title}“ wurde von {session.Participants.Count} Personen gewählt und kann nicht gelöscht werden.");
            return RedirectToAction(nameof(Edit), new { id });
        }

        db.Sessions.Remove(session);
        audit.Record("changed", "Event", id, $"Programmpunkt „{session.Title}“ gelöscht");
        await db.SaveChangesAsync(ct);
        Flash($"„{session.Title}“ ist gelöscht.");
        return Redirect($"/admin/veranstaltungen/{id}/bearbeiten#programm");
    }

    /// <summary>Copies an event as a draft one year later (same weekday), with its program, without participants.</summary>
    [HttpPost("{id:int}/kopieren")]
    public async Task<IActionResult> Copy(int id, CancellationToken ct)
    {
        var source = await db.Events.AsNoTracking().Include(x => x.Regions).Include(x => x.Sessions).AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (source is null)
        {
            return NotFound();
        }

        var shift = TimeSpan.FromDays(364);
        var now = time.GetUtcNow().UtcDateTime;
        var copy = new Event
        {
            Title = source.Title,
            Slug = await FreeSlugAsync(Slugs.From($"{source.Title} {BerlinTime.ToLocal(source.StartsAtUtc + shift).Year}"), ct),
            Kind = source.Kind,
            StartsAtUtc = Shift(source.StartsAtUtc, shift),
            EndsAtUtc = Shift(source.EndsAtUtc, shift),
            VenueName = source.VenueName,
            VenueStreet = source.VenueStreet,
            VenuePostcode = source.VenuePostcode,
            VenueCity = source.VenueCity,
            OnlineUrl = source.OnlineUrl,
            Organisers = source.Organisers,
            TargetAudience = source.TargetAudience,
            Summary = source.Summary,
            Description = source.Description,
            Status = EventStatus.Draft,
            Capacity = source.Capacity,
            WaitingListEnabled = source.WaitingListEnabled,
            RegistrationOpensAtUtc = source.RegistrationOpensAtUtc is { } opens ? Shift(opens, shift) : null,
            RegistrationClosesAtUtc = source.RegistrationClosesAtUtc is { } closes ? Shift(closes, shift) : null,
            AskAccessibilityNeeds = source.AskAccessibilityNeeds,
            AskDietaryNeeds = source.AskDietaryNeeds,
            LeadImageId = source.LeadImageId,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        foreach (var region in source.Regions)
        {
            db.Attach(region);
            copy.Regions.Add(region);
        }

        foreach (var s in source.Sessions)
        {
            copy.Sessions.Add(new Session
            {
                StartsAtUtc = Shift(s.StartsAtUtc, shift),
                EndsAtUtc = Shift(s.EndsAtUtc, shift),
                Title = s.Title,
                Kind = s.Kind,
                Speakers = s.Speakers,
                Room = s.Room,
                Description = s.Description,
                Capacity = s.Capacity,
                MaterialsId = s.MaterialsId,
            });
        }

        db.Events.Add(copy);
        await db.SaveChangesAsync(ct);
        audit.Record("created", "Event", copy.Id, $"Veranstaltung „{copy.Title}“ als Kopie von Nr. {id} angelegt");
        await db.SaveChangesAsync(ct);
        Flash("Die Kopie ist als Entwurf angelegt, ein Jahr später am selben Wochentag. Prüfen Sie Datum, Ort und Programm.");
        return RedirectToAction(nameof(Edit), new { id = copy.Id });
    }

    private async Task<IActionResult> SaveAsync(int? id, EventForm form, CancellationToken ct)
    {
        new EventFormValidator().Validate(form).AddToModelState(ModelState);
        var opens = ArticleEditor.ParseLocal(form.RegistrationOpens);
        var closes = ArticleEditor.ParseLocal(form.RegistrationCloses);
        if (!string.IsNullOrEmpty(form.RegistrationOpens) && opens is null)
        {
            ModelState.AddModelError(nameof(EventForm.RegistrationOpens), "Bitte geben Sie Datum und Uhrzeit an.");
        }

        if (!string.IsNullOrEmpty(form.RegistrationCloses) && closes is null)
        {
            ModelState.AddModelError(nameof(EventForm.RegistrationCloses), "Bitte geben Sie Datum und Uhrzeit an.");
        }

        var slug = Slugs.From(string.IsNullOrWhiteSpace(form.Slug) ? $"{form.Title} {form.Date?.Year}" : form.Slug);
        if (await db.Events.AnyAsync(x => x.Slug == slug && x.Id != (id ?? 0), ct))
        {
            ModelState.AddModelError(nameof(EventForm.Slug), $"Die Adresse „{slug}“ ist schon vergeben.");
        }

        Event? e = null;
        if (id is { } existing)
        {
            e = await db.Events.Include(x => x.Regions).SingleOrDefaultAsync(x => x.Id == existing, ct);
            if (e is null)
            {
                return NotFound();
            }

            if (form.Capacity is null && e.Capacity is not null
                && await db.Participants.AnyAsync(p => p.EventId == e.Id && p.Status != ParticipantStatus.Cancelled, ct))
            {
                ModelState.AddModelError(nameof(EventForm.Capacity), "Es gibt schon Anmeldungen: Die Zahl der Plätze kann nicht leer sein. Sagen Sie die Veranstaltung ab, wenn sie nicht stattfindet.");
            }

            if (e.Version != form.Version)
            {
                ModelState.AddModelError(string.Empty, "Jemand anderes hat die Veranstaltung inzwischen geändert. Ihre Eingaben stehen unten; öffnen Sie die Veranstaltung in einem neuen Fenster, vergleichen Sie und speichern Sie dann erneut.");
                form.Version = e.Version;
            }
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Edit", await EditorAsync(id, form, ct));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var start = BerlinTime.ToUtc(form.Date!.Value.ToDateTime(form.StartTime!.Value));
        var end = BerlinTime.ToUtc((form.EndDate ?? form.Date.Value).ToDateTime(form.EndTime!.Value));
        var changes = new List<string>();
        if (e is null)
        {
            e = new Event { Title = "", Slug = "", VenueName = "", CreatedAtUtc = now };
            db.Events.Add(e);
        }
        else
        {
            if (e.StartsAtUtc != start || e.EndsAtUtc != end)
            {
                changes.Add($"Neuer Termin: {BerlinTime.Range(start, end)}.");
            }

            if (e.VenueName != form.VenueName?.Trim() || e.VenueStreet != (form.VenueStreet?.Trim() ?? "") || e.VenueCity != (form.VenueCity?.Trim() ?? ""))
            {
                changes.Add($"Neuer Ort: {form.VenueName?.Trim()}{(string.IsNullOrWhiteSpace(form.VenueCity) ? "" : ", " + form.VenueCity.Trim())}.");
            }
        }

        e.Title = form.Title!.Trim();
        e.Slug = slug;
        e.Kind = form.Kind;
        e.StartsAtUtc = start;
        e.EndsAtUtc = end;
        e.VenueName = form.VenueName!.Trim();
        e.VenueStreet = form.VenueStreet?.Trim() ?? "";
        e.VenuePostcode = form.VenuePostcode?.Trim() ?? "";
        e.VenueCity = form.VenueCity?.Trim() ?? "";
        e.OnlineUrl = string.IsNullOrWhiteSpace(form.OnlineUrl) ? null : form.OnlineUrl.Trim();
        e.Organisers = form.Organisers?.Trim() ?? "";
        e.TargetAudience = form.TargetAudience?.Trim() ?? "";
        e.Summary = form.Summary?.Trim() ?? "";
        e.Description = form.Description ?? "";
        e.Status = e.Status == EventStatus.Cancelled ? EventStatus.Cancelled : form.Status;
        e.Capacity = form.Capacity;
        e.WaitingListEnabled = form.WaitingListEnabled;
        e.RegistrationOpensAtUtc = opens;
        e.RegistrationClosesAtUtc = closes;
        e.AskAccessibilityNeeds = form.AskAccessibilityNeeds;
        e.AskDietaryNeeds = form.AskDietaryNeeds;
        e.LeadImageId = form.LeadImageId is { } imageId && await db.MediaAssets.AnyAsync(m => m.Id == imageId && m.Kind == MediaKind.Image, ct) ? imageId : null;
        e.UpdatedAtUtc = now;
        e.Version = Guid.NewGuid();
        e.Regions.Clear();
        foreach (var region in await db.Regions.Where(r => form.RegionIds.Contains(r.Id)).ToListAsync(ct))
        {
            e.Regions.Add(region);
        }

        if (id is not null)
        {
            // Moving sessions along with the event's date keeps the program on the right day.
            var dayShift = start - (await db.Events.AsNoTracking().Where(x => x.Id == e.Id).Select(x => x.StartsAtUtc).SingleAsync(ct));
            if (BerlinTime.ToLocal(start).Date != BerlinTime.ToLocal(start - dayShift).Date)
            {
                var days = (BerlinTime.ToLocal(start).Date - BerlinTime.ToLocal(start - dayShift).Date).Days;
                foreach (var session in await db.Sessions.Where(s => s.EventId == e.Id).ToListAsync(ct))
                {
                    session.StartsAtUtc = BerlinTime.ToUtc(BerlinTime.ToLocal(session.StartsAtUtc).AddDays(days));
                    session.EndsAtUtc = BerlinTime.ToUtc(BerlinTime.ToLocal(session.EndsAtUtc).AddDays(days));
                }
            }
        }

        // The change and the e-mails about it are saved together, or not at all.
        var notified = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            audit.Record(id is null ? "created" : "changed", "Event", e.Id, $"Veranstaltung „{e.Title}“ {(id is null ? "angelegt" : "geändert")}");
            await db.SaveChangesAsync(ct);
            if (changes.Count > 0 && e.Status == EventStatus.Published)
            {
                notified = await notifications.NotifyChangedAsync(e.Id, string.Join(" ", changes), ct);
            }

            await transaction.CommitAsync(ct);
        }

        var movedUp = id is not null && e.Status == EventStatus.Published ? await registrations.FillFreeSeatsAsync(e.Id, ct) : 0;
        var message = id is null ? "Die Veranstaltung ist angelegt." : "Gespeichert.";
        if (notified > 0)
        {
            message += $" {notified} Angemeldete werden über die Änderung informiert.";
        }

        if (movedUp > 0)
        {
            message += $" {movedUp} Personen sind von der Warteliste nachgerückt und werden informiert.";
        }

        Flash(message);
        return RedirectToAction(nameof(Edit), new { id = e.Id });
    }

    private async Task<EventEditorViewModel> EditorAsync(int? id, EventForm form, CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new Option(r.Id, r.Name)).ToListAsync(ct);
        var images = await ImageOption.LatestAsync(db, ct);
        var sessions = id is { } eventId
            ? await db.Sessions.AsNoTracking().Where(s => s.EventId == eventId).OrderBy(s => s.StartsAtUtc).ThenBy(s => s.Id)
                .Select(s => new SessionListRow(s.Id, s.StartsAtUtc, s.EndsAtUtc, s.Title, s.Kind, s.Speakers, s.Capacity, s.Materials == null ? null : s.Materials.OriginalFileName)).ToListAsync(ct)
            : [];
        var pdfs = await db.MediaAssets.AsNoTracking().Where(m => m.Kind == MediaKind.Pdf).OrderByDescending(m => m.Id).Take(100)
            .Select(m => new Option(m.Id, m.OriginalFileName)).ToListAsync(ct);
        return new EventEditorViewModel(id, form, regions, images, sessions, pdfs, new SessionForm());
    }

    private static EventForm ToForm(Event e)
    {
        var start = BerlinTime.ToLocal(e.StartsAtUtc);
        var end = BerlinTime.ToLocal(e.EndsAtUtc);
        return new EventForm
        {
            Title = e.Title,
            Slug = e.Slug,
            Kind = e.Kind,
            Date = DateOnly.FromDateTime(start),
            StartTime = TimeOnly.FromDateTime(start),
            EndDate = end.Date == start.Date ? null : DateOnly.FromDateTime(end),
            EndTime = TimeOnly.FromDateTime(end),
            VenueName = e.VenueName,
            VenueStreet = e.VenueStreet,
            VenuePostcode = e.VenuePostcode,
            VenueCity = e.VenueCity,
            OnlineUrl = e.OnlineUrl,
            Organisers = e.Organisers,
            TargetAudience = e.TargetAudience,
            Summary = e.Summary,
            Description = e.Description,
            RegionIds = e.Regions.Select(r => r.Id).ToList(),
            Status = e.Status,
            Capacity = e.Capacity,
            WaitingListEnabled = e.WaitingListEnabled,
            RegistrationOpens = ArticleEditor.FormatLocal(e.RegistrationOpensAtUtc),
            RegistrationCloses = ArticleEditor.FormatLocal(e.RegistrationClosesAtUtc),
            AskAccessibilityNeeds = e.AskAccessibilityNeeds,
            AskDietaryNeeds = e.AskDietaryNeeds,
            LeadImageId = e.LeadImageId,
            Version = e.Version,
        };
    }

    /// <summary>Shifts by whole days in local time, so 10:00 stays 10:00 across a change of summer time.</summary>
    private static DateTime Shift(DateTime utc, TimeSpan by) => BerlinTime.ToUtc(BerlinTime.ToLocal(utc).Add(by));

    private Task<string> FreeSlugAsync(string slug, CancellationToken ct) =>
        Slugs.UniqueAsync(slug, candidate => db.Events.AnyAsync(x => x.Slug == candidate, ct));
}

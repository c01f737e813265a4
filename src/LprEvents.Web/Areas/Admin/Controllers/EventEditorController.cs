using FluentValidation.AspNetCore;
using LprEvents.Web.Areas.Admin.ViewModels;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using LprEvents.Web.Services.Events;
using LprEvents.Web.Services.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Areas.Admin.Controllers;

/// <summary>Creating and editing events and their program; copying last year's meeting as a start.</summary>
[Route("admin/veranstaltungen")]
public sealed class EventEditorController(LprEventsDbContext db, EventEditor editor) : AdminController
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
        var stored = await db.Events.AsNoTracking().Include(x => x.Regions).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (stored is null)
        {
            return NotFound();
        }

        // The event's day: a time typed without a date is checked against the clock change of that day.
        var result = new SessionFormValidator(DateOnly.FromDateTime(BerlinTime.ToLocal(stored.StartsAtUtc))).Validate(form);
        if (result.IsValid)
        {
            var input = new SessionInput(form.Start!.Value, form.End!.Value, form.Title!.Trim(), form.Kind, form.Speakers?.Trim() ?? "", form.Room?.Trim() ?? "", form.Description ?? "", form.Capacity, form.MaterialsId);
            if (!await editor.AddSessionAsync(id, input, ct))
            {
                return NotFound();
            }

            Flash($"Der Programmpunkt „{input.Title}“ ist angelegt.");
            return Redirect($"/admin/veranstaltungen/{id}/bearbeiten#programm");
        }

        // Back to the page with everything typed still in the fields.
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError("NewSession." + error.PropertyName, error.ErrorMessage);
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        var model = await EditorAsync(id, ToForm(stored), ct);
        return View("Edit", model with { NewSession = form });
    }

    [HttpPost("{id:int}/programm/{sessionId:int}/nach-oben")]
    public Task<IActionResult> MoveSessionUp(int id, int sessionId, CancellationToken ct) => MoveSessionAsync(id, sessionId, up: true, ct);

    [HttpPost("{id:int}/programm/{sessionId:int}/nach-unten")]
    public Task<IActionResult> MoveSessionDown(int id, int sessionId, CancellationToken ct) => MoveSessionAsync(id, sessionId, up: false, ct);

    private async Task<IActionResult> MoveSessionAsync(int id, int sessionId, bool up, CancellationToken ct)
    {
        if (await editor.MoveSessionAsync(id, sessionId, up, ct) is { } title)
        {
            Flash($"„{title}“ steht jetzt eine Stelle {(up ? "weiter oben" : "weiter unten")}.");
        }

        return Redirect($"/admin/veranstaltungen/{id}/bearbeiten#programm");
    }

    [HttpPost("{id:int}/programm/{sessionId:int}/loeschen")]
    public async Task<IActionResult> DeleteSession(int id, int sessionId, CancellationToken ct)
    {
        var (outcome, title, chosenBy) = await editor.DeleteSessionAsync(id, sessionId, ct);
        switch (outcome)
        {
            case SessionDeleteOutcome.Chosen:
                Flash($"„{title}“ wurde von {chosenBy} Personen gewählt und kann nicht gelöscht werden.");
                return RedirectToAction(nameof(Edit), new { id });
            case SessionDeleteOutcome.Deleted:
                Flash($"„{title}“ ist gelöscht.");
                return Redirect($"/admin/veranstaltungen/{id}/bearbeiten#programm");
            default:
                return NotFound();
        }
    }

    [HttpGet("{id:int}/programm/{sessionId:int}/bearbeiten")]
    public async Task<IActionResult> EditSession(int id, int sessionId, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId && s.EventId == id, ct);
        if (session is null)
        {
            return NotFound();
        }

        var form = new SessionForm
        {
            Start = TimeOnly.FromDateTime(BerlinTime.ToLocal(session.StartsAtUtc)),
            End = TimeOnly.FromDateTime(BerlinTime.ToLocal(session.EndsAtUtc)),
            Title = session.Title,
            Kind = session.Kind,
            Speakers = session.Speakers,
            Room = session.Room,
            Description = session.Description,
            Capacity = session.Capacity,
            MaterialsId = session.MaterialsId,
        };
        return View(await SessionEditorAsync(id, sessionId, form, ct));
    }

    /// <summary>Changes a program item (<see cref="EventEditor.UpdateSessionAsync"/>); the page shows why a change is refused.</summary>
    [HttpPost("{id:int}/programm/{sessionId:int}/bearbeiten")]
    public async Task<IActionResult> EditSession(int id, int sessionId, SessionForm form, CancellationToken ct)
    {
        var stored = await db.Events.AsNoTracking().Where(e => e.Id == id).Select(e => new { e.StartsAtUtc }).SingleOrDefaultAsync(ct);
        if (stored is null)
        {
            return NotFound();
        }

        var result = new SessionFormValidator(DateOnly.FromDateTime(BerlinTime.ToLocal(stored.StartsAtUtc))).Validate(form);
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
        }

        if (result.IsValid)
        {
            var input = new SessionInput(form.Start!.Value, form.End!.Value, form.Title!.Trim(), form.Kind, form.Speakers?.Trim() ?? "", form.Room?.Trim() ?? "", form.Description ?? "", form.Capacity, form.MaterialsId);
            var (outcome, taken, movedUp) = await editor.UpdateSessionAsync(id, sessionId, input, ct);
            switch (outcome)
            {
                case SessionUpdateOutcome.Saved:
                    Flash(movedUp > 0
                        ? $"„{input.Title}“ ist gespeichert. {movedUp} Personen sind von der Warteliste nachgerückt und werden per E-Mail informiert."
                        : $"„{input.Title}“ ist gespeichert.");
                    return Redirect($"/admin/veranstaltungen/{id}/bearbeiten#programm");
                case SessionUpdateOutcome.ChosenTimeChange:
                    ModelState.AddModelError(nameof(SessionForm.Start), "Diese Kleingruppe wurde bereits gewählt: Ihre Zeit lässt sich nicht mehr ändern. Legen Sie bei Bedarf eine neue Kleingruppe an.");
                    break;
                case SessionUpdateOutcome.ChosenCapacity:
                    ModelState.AddModelError(nameof(SessionForm.Capacity), $"Diese Kleingruppe haben {taken} Personen mit Platz gewählt: Sie braucht mindestens {taken} Plätze.");
                    break;
                default:
                    return NotFound();
            }
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(await SessionEditorAsync(id, sessionId, form, ct));
    }

    private async Task<SessionEditorViewModel> SessionEditorAsync(int id, int sessionId, SessionForm form, CancellationToken ct)
    {
        var title = await db.Events.AsNoTracking().Where(e => e.Id == id).Select(e => e.Title).SingleAsync(ct);
        var chosenBy = await db.Participants.CountAsync(p => p.Sessions.Any(s => s.Id == sessionId) && p.Status != ParticipantStatus.Cancelled, ct);
        var pdfs = await db.MediaAssets.AsNoTracking().Where(m => m.Kind == MediaKind.Pdf).OrderByDescending(m => m.Id).Take(100)
            .Select(m => new Option(m.Id, m.OriginalFileName)).ToListAsync(ct);
        return new SessionEditorViewModel(id, title, sessionId, form, pdfs, chosenBy);
    }

    /// <summary>Copies an event as a draft one year later (same weekday), with its program, without participants.</summary>
    [HttpPost("{id:int}/kopieren")]
    public async Task<IActionResult> Copy(int id, CancellationToken ct)
    {
        if (await editor.CopyAsync(id, ct) is not { } copyId)
        {
            return NotFound();
        }

        Flash("Die Kopie ist als Entwurf angelegt, ein Jahr später am selben Wochentag. Prüfen Sie Datum, Ort und Programm.");
        return RedirectToAction(nameof(Edit), new { id = copyId });
    }

    private async Task<IActionResult> SaveAsync(int? id, EventForm form, CancellationToken ct)
    {
        new EventFormValidator().Validate(form).AddToModelState(ModelState);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Edit", await EditorAsync(id, form, ct));
        }

        switch (await editor.SaveAsync(id, ToInput(form), ct))
        {
            case EventSaveResult.Saved saved:
                Flash(saved.Message);
                return RedirectToAction(nameof(Edit), new { id = saved.Id });
            case EventSaveResult.Refused refused:
                foreach (var problem in refused.Problems)
                {
                    ModelState.AddModelError(problem.Field, problem.Message);
                }

                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return View("Edit", await EditorAsync(id, form, ct));
            case EventSaveResult.Conflict conflict:
                Response.StatusCode = StatusCodes.Status409Conflict;
                var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new Option(r.Id, r.Name)).ToListAsync(ct);
                var theirs = ToForm(conflict.Theirs);
                form.Version = theirs.Version;
                return View("Conflict", EventConflictViewModel.Create(id!.Value, form, theirs, conflict.Theirs.UpdatedAtUtc, regions));
            default:
                return NotFound();
        }
    }

    private static EventInput ToInput(EventForm form) => new(
        form.Title!.Trim(),
        form.Slug,
        form.Kind,
        BerlinTime.ToUtc(form.Date!.Value.ToDateTime(form.StartTime!.Value)),
        BerlinTime.ToUtc((form.EndDate ?? form.Date.Value).ToDateTime(form.EndTime!.Value)),
        form.VenueName!.Trim(),
        form.VenueStreet?.Trim() ?? "",
        form.VenuePostcode?.Trim() ?? "",
        form.VenueCity?.Trim() ?? "",
        string.IsNullOrWhiteSpace(form.OnlineUrl) ? null : form.OnlineUrl.Trim(),
        form.Organisers?.Trim() ?? "",
        form.TargetAudience?.Trim() ?? "",
        form.Summary?.Trim() ?? "",
        form.Description ?? "",
        form.RegionIds,
        form.Status,
        form.Capacity,
        form.WaitingListEnabled,
        ArticleEditor.ParseLocal(form.RegistrationOpens),
        ArticleEditor.ParseLocal(form.RegistrationCloses),
        form.AskAccessibilityNeeds,
        form.AskDietaryNeeds,
        form.LeadImageId,
        form.Version);

    private async Task<EventEditorViewModel> EditorAsync(int? id, EventForm form, CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new Option(r.Id, r.Name)).ToListAsync(ct);
        var images = await ImageOption.LatestAsync(db, ct);
        var sessions = id is { } eventId
            ? await db.Sessions.AsNoTracking().Where(s => s.EventId == eventId).InProgramOrder()
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
}

using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Search;
using LprEvents.Web.Services.Registration;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services.Events;

/// <summary>What an editor saves about an event; times in UTC, texts trimmed.</summary>
public sealed record EventInput(
    string Title,
    string? Slug,
    EventKind Kind,
    DateTime StartsAtUtc,
    DateTime EndsAtUtc,
    string VenueName,
    string VenueStreet,
    string VenuePostcode,
    string VenueCity,
    string? OnlineUrl,
    string Organisers,
    string TargetAudience,
    string Summary,
    string Description,
    IReadOnlyCollection<int> RegionIds,
    EventStatus Status,
    int? Capacity,
    bool WaitingListEnabled,
    DateTime? RegistrationOpensAtUtc,
    DateTime? RegistrationClosesAtUtc,
    bool AskAccessibilityNeeds,
    bool AskDietaryNeeds,
    int? LeadImageId,
    Guid Version);

/// <summary>A program item; times are local (Europe/Berlin) on the event's first day.</summary>
public sealed record SessionInput(
    TimeOnly Start,
    TimeOnly End,
    string Title,
    SessionKind Kind,
    string Speakers,
    string Room,
    string Description,
    int? Capacity,
    int? MaterialsId);

/// <summary>A rule the input breaks: the form field it belongs to, and what to do, in German.</summary>
public sealed record EventProblem(string Field, string Message);

public abstract record EventSaveResult
{
    /// <summary>Saved; <paramref name="Message"/> says who is told and who moved up, in German.</summary>
    public sealed record Saved(int Id, string Message) : EventSaveResult;

    public sealed record Refused(IReadOnlyList<EventProblem> Problems) : EventSaveResult;

    /// <summary>Someone else saved in between: the stored event, so that the editor can compare and lose nothing.</summary>
    public sealed record Conflict(Event Theirs) : EventSaveResult;

    public sealed record NotFound : EventSaveResult;
}

public enum SessionUpdateOutcome
{
    Saved,
    NotFound,

    /// <summary>People chose this small group: its time cannot move, or it would leave its time slot.</summary>
    ChosenTimeChange,

    /// <summary>People chose this small group: it must stay choosable, with at least as many places as they take.</summary>
    ChosenCapacity,
}

public enum SessionDeleteOutcome
{
    Deleted,
    Chosen,
    NotFound,
}

/// <summary>
/// The rules of editing events: unique addresses, seats that cannot vanish under registrations, optimistic
/// concurrency on <see cref="Event.Version"/>, telling participants about a new date or venue, moving the
/// waiting list up into new seats, keeping the program on the event's day, copying last year's meeting. Each
/// change is saved with its audit entry and its e-mails in one transaction; a change to an existing event
/// runs inside the event lock (docs/decisions/0010), as it may change the seats.
/// </summary>
public sealed class EventEditor(
    LprEventsDbContext db,
    RegistrationService registrations,
    EventNotifications notifications,
    AuditLog audit,
    TimeProvider time,
    SearchIndexer search,
    ILogger<EventEditor> logger)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public Task<EventSaveResult> SaveAsync(int? id, EventInput input, CancellationToken ct) =>
        db.WithRetriesAsync(() => SaveOnceAsync(id, input, ct));

    private async Task<EventSaveResult> SaveOnceAsync(int? id, EventInput input, CancellationToken ct)
    {
        await using var transaction = id is { } lockedId ? await db.BeginSeatTransactionAsync(lockedId, ct) : await db.Database.BeginTransactionAsync(ct);
        Event? e = null;
        if (id is { } existing)
        {
            e = await db.Events.Include(x => x.Regions).SingleOrDefaultAsync(x => x.Id == existing, ct);
            if (e is null)
            {
                return new EventSaveResult.NotFound();
            }

            if (e.Version != input.Version)
            {
                return new EventSaveResult.Conflict(await TheirsAsync(existing, ct));
            }
        }

        var slug = string.IsNullOrWhiteSpace(input.Slug) ? Slugs.WithYear(input.Title, BerlinTime.ToLocal(input.StartsAtUtc).Year) : Slugs.From(input.Slug);
        var problems = await ProblemsAsync(e, input, slug, ct);
        if (problems.Count > 0)
        {
            db.ChangeTracker.Clear();
            return new EventSaveResult.Refused(problems);
        }

        var changes = e is null ? [] : Changes(e, input);
        var previousStart = e?.StartsAtUtc;
        if (e is null)
        {
            e = new Event { Title = "", Slug = "", VenueName = "", CreatedAtUtc = Now };
            db.Events.Add(e);
        }
        else
        {
            // The version the editor saw, so that a save in between is noticed by the database as well.
            db.Entry(e).Property(x => x.Version).OriginalValue = input.Version;
        }

        await ApplyAsync(e, input, slug, ct);
        if (previousStart is { } before)
        {
            await MoveProgramAsync(e.Id, before, e.StartsAtUtc, ct);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            logger.LogWarning("Event {EventId} was saved by someone else between the version check and the write", id);
            return new EventSaveResult.Conflict(await TheirsAsync(e.Id, ct));
        }

        audit.Record(id is null ? "created" : "changed", "Event", e.Id, $"Veranstaltung „{e.Title}“ {(id is null ? "angelegt" : "geändert")}");
        await db.SaveChangesAsync(ct);
        var published = e.Status == EventStatus.Published;
        var notified = changes.Count > 0 && published ? await notifications.NotifyChangedAsync(e.Id, string.Join(" ", changes), ct) : 0;
        var movedUp = id is not null && published ? await registrations.FillFreeSeatsLockedAsync(e, ct) : 0;
        await search.IndexEventAsync(e.Id, ct);
        await transaction.CommitAsync(ct);

        var message = id is null ? "Die Veranstaltung ist angelegt." : "Gespeichert.";
        if (notified > 0)
        {
            message += $" {notified} Angemeldete werden über die Änderung informiert.";
        }

        if (movedUp > 0)
        {
            message += $" {movedUp} Personen sind von der Warteliste nachgerückt und werden informiert.";
        }

        return new EventSaveResult.Saved(e.Id, message);
    }

    /// <summary>Adds a program item on the event's first day. False if the event does not exist.</summary>
    /// <summary>
    /// Moves a program item one place up or down among the items that start at the same time (parallel small
    /// groups, a talk and its break-out); an item at another time moves by editing its time. Returns its title,
    /// or null when there is no such item or nothing to move past.
    /// </summary>
    public async Task<string?> MoveSessionAsync(int eventId, int sessionId, bool up, CancellationToken ct)
    {
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId && s.EventId == eventId, ct);
        if (session is null)
        {
            return null;
        }

        var parallel = await db.Sessions.Where(s => s.EventId == eventId && s.StartsAtUtc == session.StartsAtUtc).InProgramOrder().ToListAsync(ct);
        var index = parallel.FindIndex(s => s.Id == sessionId);
        var target = up ? index - 1 : index + 1;
        if (target < 0 || target >= parallel.Count)
        {
            return null;
        }

        (parallel[index], parallel[target]) = (parallel[target], parallel[index]);
        for (var i = 0; i < parallel.Count; i++)
        {
            parallel[i].SortOrder = i;
        }

        var title = await db.Events.Where(e => e.Id == eventId).Select(e => e.Title).SingleAsync(ct);
        audit.Record("changed", "Event", eventId, $"Veranstaltung „{title}“: Programmpunkt „{session.Title}“ {(up ? "nach oben" : "nach unten")} verschoben");
        await db.SaveChangesAsync(ct);
        return session.Title;
    }

    public async Task<bool> AddSessionAsync(int eventId, SessionInput input, CancellationToken ct)
    {
        var e = await db.Events.AsNoTracking().SingleOrDefaultAsync(x => x.Id == eventId, ct);
        if (e is null)
        {
            return false;
        }

        var day = DateOnly.FromDateTime(BerlinTime.ToLocal(e.StartsAtUtc));
        db.Sessions.Add(new Session
        {
            EventId = eventId,
            StartsAtUtc = BerlinTime.ToUtc(day.ToDateTime(input.Start)),
            EndsAtUtc = BerlinTime.ToUtc(day.ToDateTime(input.End)),
            Title = input.Title,
            Kind = input.Kind,
            Speakers = input.Speakers,
            Room = input.Room,
            Description = input.Description,
            Capacity = input.Capacity,
            MaterialsId = input.MaterialsId is { } pdf && await db.MediaAssets.AnyAsync(m => m.Id == pdf && m.Kind == MediaKind.Pdf, ct) ? pdf : null,
        });
        audit.Record("changed", "Event", eventId, $"Programmpunkt „{input.Title}“ zu „{e.Title}“ hinzugefügt");
        await db.SaveChangesAsync(ct);
        await search.IndexEventAsync(eventId, ct);
        return true;
    }

    /// <summary>
    /// Changes a program item. Inside the event lock: a small group that people chose keeps its time (its time
    /// slot is how their choice is read) and keeps at least as many places as they take; more places move the
    /// waiting list up into them, in order. Returns how many moved up.
    /// </summary>
    public Task<(SessionUpdateOutcome Outcome, int Taken, int MovedUp)> UpdateSessionAsync(int eventId, int sessionId, SessionInput input, CancellationToken ct) =>
        db.WithRetriesAsync(() => UpdateSessionOnceAsync(eventId, sessionId, input, ct));

    private async Task<(SessionUpdateOutcome Outcome, int Taken, int MovedUp)> UpdateSessionOnceAsync(int eventId, int sessionId, SessionInput input, CancellationToken ct)
    {
        await using var transaction = await db.BeginSeatTransactionAsync(eventId, ct);
        var e = await db.Events.SingleOrDefaultAsync(x => x.Id == eventId, ct);
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId && s.EventId == eventId, ct);
        if (e is null || session is null)
        {
            return (SessionUpdateOutcome.NotFound, 0, 0);
        }

        var day = DateOnly.FromDateTime(BerlinTime.ToLocal(e.StartsAtUtc));
        var startsAtUtc = BerlinTime.ToUtc(day.ToDateTime(input.Start));
        var endsAtUtc = BerlinTime.ToUtc(day.ToDateTime(input.End));
        var chosenBy = await db.Participants.CountAsync(p => p.Sessions.Any(s => s.Id == sessionId) && p.Status != ParticipantStatus.Cancelled, ct);
        var taken = await db.Participants.Where(p => p.Sessions.Any(s => s.Id == sessionId)).Where(ParticipantRules.HoldsSeat).CountAsync(ct);
        if (chosenBy > 0 && (startsAtUtc != session.StartsAtUtc || endsAtUtc != session.EndsAtUtc))
        {
            return (SessionUpdateOutcome.ChosenTimeChange, taken, 0);
        }

        if (chosenBy > 0 && (input.Capacity is not { } places || places < taken))
        {
            return (SessionUpdateOutcome.ChosenCapacity, taken, 0);
        }

        var morePlaces = session.Capacity is { } before && input.Capacity > before;
        session.StartsAtUtc = startsAtUtc;
        session.EndsAtUtc = endsAtUtc;
        session.Title = input.Title;
        session.Kind = input.Kind;
        session.Speakers = input.Speakers;
        session.Room = input.Room;
        session.Description = input.Description;
        session.Capacity = input.Capacity;
        session.MaterialsId = input.MaterialsId is { } pdf && await db.MediaAssets.AnyAsync(m => m.Id == pdf && m.Kind == MediaKind.Pdf, ct) ? pdf : null;
        audit.Record("changed", "Event", eventId, $"Programmpunkt „{input.Title}“ geändert");
        await db.SaveChangesAsync(ct);
        var movedUp = morePlaces ? await registrations.FillFreeSeatsLockedAsync(e, ct) : 0;
        await search.IndexEventAsync(eventId, ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Session {SessionId} of event {EventId} changed; {MovedUp} moved up", sessionId, eventId, movedUp);
        return (SessionUpdateOutcome.Saved, taken, movedUp);
    }

    /// <summary>
    /// Deletes a program item nobody has chosen. Inside the event lock, so that nobody registers for it in
    /// the meantime.
    /// </summary>
    public Task<(SessionDeleteOutcome Outcome, string Title, int ChosenBy)> DeleteSessionAsync(int eventId, int sessionId, CancellationToken ct) =>
        db.WithRetriesAsync(() => DeleteSessionOnceAsync(eventId, sessionId, ct));

    private async Task<(SessionDeleteOutcome Outcome, string Title, int ChosenBy)> DeleteSessionOnceAsync(int eventId, int sessionId, CancellationToken ct)
    {
        await using var transaction = await db.BeginSeatTransactionAsync(eventId, ct);
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId && s.EventId == eventId, ct);
        if (session is null)
        {
            return (SessionDeleteOutcome.NotFound, "", 0);
        }

        var chosenBy = await db.Participants.CountAsync(p => p.Sessions.Any(s => s.Id == sessionId), ct);
        if (chosenBy > 0)
        {
            return (SessionDeleteOutcome.Chosen, session.Title, chosenBy);
        }

        db.Sessions.Remove(session);
        audit.Record("changed", "Event", eventId, $"Programmpunkt „{session.Title}“ gelöscht");
        await db.SaveChangesAsync(ct);
        await search.IndexEventAsync(eventId, ct);
        await transaction.CommitAsync(ct);
        return (SessionDeleteOutcome.Deleted, session.Title, 0);
    }

    /// <summary>Copies an event as a draft one year later (same weekday), with its program, without participants. Null if not found.</summary>
    public Task<int?> CopyAsync(int id, CancellationToken ct) =>
        db.WithRetriesAsync(() => CopyOnceAsync(id, ct));

    private async Task<int?> CopyOnceAsync(int id, CancellationToken ct)
    {
        var source = await db.Events.AsNoTracking().Include(x => x.Regions).Include(x => x.Sessions).AsSplitQuery().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (source is null)
        {
            return null;
        }

        var shift = TimeSpan.FromDays(364);
        var copy = new Event
        {
            Title = source.Title,
            Slug = await FreeSlugAsync(Slugs.WithYear(source.Title, BerlinTime.ToLocal(source.StartsAtUtc + shift).Year), ct),
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
            CreatedAtUtc = Now,
            UpdatedAtUtc = Now,
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
                SortOrder = s.SortOrder,
            });
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Events.Add(copy);
        await db.SaveChangesAsync(ct);
        audit.Record("created", "Event", copy.Id, $"Veranstaltung „{copy.Title}“ als Kopie von Nr. {id} angelegt");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return copy.Id;
    }

    private async Task<List<EventProblem>> ProblemsAsync(Event? e, EventInput input, string slug, CancellationToken ct)
    {
        var problems = new List<EventProblem>();
        if (await db.Events.AnyAsync(x => x.Slug == slug && x.Id != (e == null ? 0 : e.Id), ct))
        {
            problems.Add(new(nameof(EventInput.Slug), $"Die Adresse „{slug}“ ist schon vergeben."));
        }

        if (e is not null && input.Capacity is null && e.Capacity is not null
            && await db.Participants.AnyAsync(p => p.EventId == e.Id && p.Status != ParticipantStatus.Cancelled, ct))
        {
            problems.Add(new(nameof(EventInput.Capacity), "Es gibt schon Anmeldungen: Die Zahl der Plätze kann nicht leer sein. Sagen Sie die Veranstaltung ab, wenn sie nicht stattfindet."));
        }

        return problems;
    }

    /// <summary>What participants are told about, in German: a new date or a new venue.</summary>
    private static List<string> Changes(Event e, EventInput input)
    {
        var changes = new List<string>();
        if (e.StartsAtUtc != input.StartsAtUtc || e.EndsAtUtc != input.EndsAtUtc)
        {
            changes.Add($"Neuer Termin: {BerlinTime.Range(input.StartsAtUtc, input.EndsAtUtc)}.");
        }

        if (e.VenueName != input.VenueName || e.VenueStreet != input.VenueStreet || e.VenueCity != input.VenueCity)
        {
            changes.Add($"Neuer Ort: {input.VenueName}{(string.IsNullOrWhiteSpace(input.VenueCity) ? "" : ", " + input.VenueCity)}.");
        }

        return changes;
    }

    private async Task ApplyAsync(Event e, EventInput input, string slug, CancellationToken ct)
    {
        e.Title = input.Title;
        e.Slug = slug;
        e.Kind = input.Kind;
        e.StartsAtUtc = input.StartsAtUtc;
        e.EndsAtUtc = input.EndsAtUtc;
        e.VenueName = input.VenueName;
        e.VenueStreet = input.VenueStreet;
        e.VenuePostcode = input.VenuePostcode;
        e.VenueCity = input.VenueCity;
        e.OnlineUrl = input.OnlineUrl;
        e.Organisers = input.Organisers;
        e.TargetAudience = input.TargetAudience;
        e.Summary = input.Summary;
        e.Description = input.Description;
        // Cancelling has its own path (participants are told); saving the form never undoes it.
        e.Status = e.Status == EventStatus.Cancelled ? EventStatus.Cancelled : input.Status;
        if (e.Status != EventStatus.Draft)
        {
            e.PublishedAtUtc ??= Now;
        }

        e.Capacity = input.Capacity;
        e.WaitingListEnabled = input.WaitingListEnabled;
        e.RegistrationOpensAtUtc = input.RegistrationOpensAtUtc;
        e.RegistrationClosesAtUtc = input.RegistrationClosesAtUtc;
        e.AskAccessibilityNeeds = input.AskAccessibilityNeeds;
        e.AskDietaryNeeds = input.AskDietaryNeeds;
        e.LeadImageId = input.LeadImageId is { } imageId && await db.MediaAssets.AnyAsync(m => m.Id == imageId && m.Kind == MediaKind.Image, ct) ? imageId : null;
        e.UpdatedAtUtc = Now;
        e.Version = Guid.NewGuid();
        e.Regions.Clear();
        foreach (var region in await db.Regions.Where(r => input.RegionIds.Contains(r.Id)).ToListAsync(ct))
        {
            e.Regions.Add(region);
        }
    }

    /// <summary>Moving the event to another day moves its program along, so it stays on the right day.</summary>
    private async Task MoveProgramAsync(int eventId, DateTime previousStartUtc, DateTime startUtc, CancellationToken ct)
    {
        var days = (BerlinTime.ToLocal(startUtc).Date - BerlinTime.ToLocal(previousStartUtc).Date).Days;
        if (days == 0)
        {
            return;
        }

        foreach (var session in await db.Sessions.Where(s => s.EventId == eventId).ToListAsync(ct))
        {
            session.StartsAtUtc = BerlinTime.ToUtc(BerlinTime.ToLocal(session.StartsAtUtc).AddDays(days));
            session.EndsAtUtc = BerlinTime.ToUtc(BerlinTime.ToLocal(session.EndsAtUtc).AddDays(days));
        }
    }

    private Task<Event> TheirsAsync(int id, CancellationToken ct) =>
        db.Events.AsNoTracking().Include(x => x.Regions).SingleAsync(x => x.Id == id, ct);

    /// <summary>Shifts by whole days in local time, so 10:00 stays 10:00 across a change of summer time.</summary>
    private static DateTime Shift(DateTime utc, TimeSpan by) => BerlinTime.ToUtc(BerlinTime.ToLocal(utc).Add(by));

    private Task<string> FreeSlugAsync(string slug, CancellationToken ct) =>
        Slugs.UniqueAsync(slug, candidate => db.Events.AnyAsync(x => x.Slug == candidate, ct));
}

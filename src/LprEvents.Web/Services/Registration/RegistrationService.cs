using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Registration;

public sealed record RegistrationRequest(
    string FirstName,
    string LastName,
    string Email,
    string Organisation,
    OrganisationType OrganisationType,
    string Function,
    int RegionId,
    IReadOnlyCollection<int> SessionIds,
    string? AccessibilityNeeds,
    string? DietaryNeeds,
    bool PhotoConsent);

public sealed record LinkTarget(int ParticipantId, int EventId);

/// <summary>A person who comes to the door without a registration (<see cref="RegistrationService.AddWalkInAsync"/>).</summary>
public sealed record WalkInRequest(string FirstName, string LastName, string Organisation, OrganisationType OrganisationType, bool PhotoConsent);

public enum WalkInOutcome
{
    /// <summary>Added and checked in.</summary>
    Added,

    /// <summary>Every seat is taken and the organiser has not confirmed going beyond the capacity: nothing saved.</summary>
    Full,

    /// <summary>The event is cancelled or over.</summary>
    NotAllowed,
}

public enum RegisterOutcome
{
    /// <summary>Saved; the "please confirm" e-mail is queued.</summary>
    Created,

    /// <summary>
    /// The address already holds an active registration; a further private link was e-mailed to it. The
    /// person at the form is told exactly what a new registrant is told: whoever typed someone else's
    /// address learns nothing.
    /// </summary>
    AlreadyRegistered,

    /// <summary>Registration is not open (not yet, no longer, cancelled, past, not offered).</summary>
    NotOpen,
}

public enum ConfirmOutcome
{
    Confirmed,
    WaitingList,

    /// <summary>Full without waiting list: the registration was deleted at once (the e-mail says so).</summary>
    Full,
    AlreadyConfirmed,
    Expired,
    EventOver,
}

public enum ChangeOutcome
{
    Changed,
    SessionFull,
    NotAllowed,
}

/// <summary>
/// The rules of registering: double opt-in, capacity of the event and of choosable sessions, waiting list
/// in order, cancellation with moving up, deletion on request. Every operation that takes or frees a seat
/// runs in one transaction that first locks the event row (<see cref="Event.SeatLock"/>), so capacity holds
/// with many simultaneous requests and with several app instances on one database. E-mails are written
/// to the outbox in the same transaction. Each public operation runs through the execution strategy
/// (<see cref="Retries"/>): on SQL Server a transient fault repeats the whole transaction.
/// </summary>
public sealed class RegistrationService(
    LprEventsDbContext db,
    TimeProvider time,
    EmailComposer emails,
    PublicUrls urls,
    IOptions<RegistrationOptions> options,
    ILogger<RegistrationService> logger)
{
    public const string PrivacyVersion = Data.Seeding.DemoContent.PrivacyVersion;

    /// <summary>"Already registered" e-mails to one registration per day, whoever fills in the form.</summary>
    public const int MaxRepeatMailsPerDay = 3;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public Task<RegisterOutcome> RegisterAsync(int eventId, RegistrationRequest request, CancellationToken ct) =>
        db.WithRetriesAsync(() => RegisterOnceAsync(eventId, request, ct));

    private async Task<RegisterOutcome> RegisterOnceAsync(int eventId, RegistrationRequest request, CancellationToken ct)
    {
        var normalized = NormalizeEmail(request.Email);
        await using var transaction = await BeginLockedAsync(eventId, ct);
        var e = await db.Events.SingleAsync(x => x.Id == eventId, ct);
        if (!await IsOpenAsync(e, ct))
        {
            return RegisterOutcome.NotOpen;
        }

        var existing = await db.Participants.SingleOrDefaultAsync(
            p => p.EventId == eventId && p.EmailNormalized == normalized && p.Status != ParticipantStatus.Cancelled, ct);
        if (existing is not null)
        {
            // A further link, not a replacement: the form may have been filled in by someone else, who must
            // not be able to break the owner's link (nor learn that there is one; see the controller). A few a
            // day at most, so that nobody can flood the owner's mailbox through the form.
            var since = Now.AddDays(-1);
            var recent = await db.OutboxMessages.CountAsync(
                m => m.ParticipantId == existing.Id && m.Kind == EmailComposer.AlreadyRegisteredKind && m.CreatedAtUtc > since, ct);
            if (recent >= MaxRepeatMailsPerDay)
            {
                logger.LogInformation("Repeated registration for event {EventId} by participant {ParticipantId}: daily limit reached, nothing sent", eventId, existing.Id);
                LprMetrics.Registration("already_registered");
                return RegisterOutcome.AlreadyRegistered;
            }

            db.OutboxMessages.Add(emails.AlreadyRegistered(existing, e, urls.PrivateLink(MintLink(existing))));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            logger.LogInformation("Repeated registration for event {EventId} by participant {ParticipantId}: new link e-mailed", eventId, existing.Id);
            LprMetrics.Registration("already_registered");
            return RegisterOutcome.AlreadyRegistered;
        }

        var sessions = await db.Sessions.Where(s => s.EventId == eventId && request.SessionIds.Contains(s.Id)).ToListAsync(ct);
        var participant = new Participant
        {
            EventId = eventId,
            FirstName = request.FirstName.Trim(),
            LastName = request.LastName.Trim(),
            Email = request.Email.Trim(),
            EmailNormalized = normalized,
            Organisation = request.Organisation.Trim(),
            OrganisationType = request.OrganisationType,
            Function = request.Function.Trim(),
            RegionId = request.RegionId,
            AccessibilityNeeds = Blank(request.AccessibilityNeeds),
            DietaryNeeds = Blank(request.DietaryNeeds),
            PhotoConsent = request.PhotoConsent,
            PrivacyConsentVersion = PrivacyVersion,
            Status = ParticipantStatus.AwaitingConfirmation,
            CreatedAtUtc = Now,
        };
        var token = MintLink(participant);
        foreach (var session in sessions)
        {
            participant.Sessions.Add(session);
        }

        db.Participants.Add(participant);
        await db.SaveChangesAsync(ct);
        db.OutboxMessages.Add(emails.ConfirmAddress(participant, e, urls.PrivateLink(token), options.Value.ConfirmationHours));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Registration {ParticipantId} for event {EventId} awaits e-mail confirmation", participant.Id, eventId);
        LprMetrics.Registration("created");
        return RegisterOutcome.Created;
    }

    /// <summary>The double opt-in: only now does the registration take a seat, or a place on the waiting list.</summary>
    public Task<ConfirmOutcome?> ConfirmAsync(string token, CancellationToken ct) =>
        db.WithRetriesAsync(() => ConfirmOnceAsync(token, ct));

    private async Task<ConfirmOutcome?> ConfirmOnceAsync(string token, CancellationToken ct)
    {
        await using var locked = await LockAsync(token, ct);
        if (locked is null)
        {
            return null;
        }

        var (transaction, p, e) = locked;
        if (p.Status != ParticipantStatus.AwaitingConfirmation)
        {
            return p.Status == ParticipantStatus.Cancelled ? null : ConfirmOutcome.AlreadyConfirmed;
        }

        if (p.CreatedAtUtc.AddHours(options.Value.ConfirmationHours) < Now)
        {
            return ConfirmOutcome.Expired;
        }

        if (e.Status == EventStatus.Cancelled || e.EndsAtUtc < Now)
        {
            return ConfirmOutcome.EventOver;
        }

        p.ConfirmedAtUtc = Now;
        ConfirmOutcome outcome;
        if (await HasRoomAsync(e, p, ct))
        {
            p.Status = ParticipantStatus.Confirmed;
            db.OutboxMessages.Add(emails.Confirmed(p, e, urls.PrivateLink(token), IcsBuilder.ForEvent(e, urls.Event(e.Slug), Now, onlineAccess: true, EmailComposer.SmallGroups(p.Sessions))));
            outcome = ConfirmOutcome.Confirmed;
        }
        else if (e.WaitingListEnabled)
        {
            p.Status = ParticipantStatus.WaitingList;
            var position = await db.Participants.CountAsync(x => x.EventId == e.Id && x.Status == ParticipantStatus.WaitingList, ct) + 1;
            db.OutboxMessages.Add(emails.WaitingList(p, e, position, urls.PrivateLink(token)));
            outcome = ConfirmOutcome.WaitingList;
        }
        else
        {
            // "Ihre Angaben werden nicht weiter gespeichert": so they are not, from this moment.
            db.OutboxMessages.Add(emails.Full(p, e));
            await db.OutboxMessages.Where(m => m.ParticipantId == p.Id).ExecuteDeleteAsync(ct);
            db.Participants.Remove(p);
            db.DeletionLog.Add(new DeletionLogEntry { Kind = "deleted-full-no-waiting-list", EventId = e.Id, Count = 1, RunAtUtc = Now });
            outcome = ConfirmOutcome.Full;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Registration {ParticipantId} for event {EventId} confirmed: {Outcome}", p.Id, e.Id, outcome);
        LprMetrics.Confirmation(outcome.ToString().ToLowerInvariant());
        return outcome;
    }

    /// <summary>Cancels; a freed seat goes to the first person on the waiting list whose sessions have room.</summary>
    public Task<bool> CancelAsync(string token, CancellationToken ct) =>
        db.WithRetriesAsync(() => CancelOnceAsync(token, ct));

    private async Task<bool> CancelOnceAsync(string token, CancellationToken ct)
    {
        await using var locked = await LockAsync(token, ct);
        if (locked is null)
        {
            return false;
        }

        await CancelLockedAsync(locked, ct);
        logger.LogInformation("Registration {ParticipantId} for event {EventId} cancelled by the participant", locked.Participant.Id, locked.Event.Id);
        return true;
    }

    /// <summary>Changes the chosen small groups of an active registration, if the new ones have room.</summary>
    public Task<ChangeOutcome?> ChangeSessionsAsync(string token, IReadOnlyCollection<int> sessionIds, CancellationToken ct) =>
        db.WithRetriesAsync(() => ChangeSessionsOnceAsync(token, sessionIds, ct));

    private async Task<ChangeOutcome?> ChangeSessionsOnceAsync(string token, IReadOnlyCollection<int> sessionIds, CancellationToken ct)
    {
        await using var locked = await LockAsync(token, ct);
        if (locked is null)
        {
            return null;
        }

        var (transaction, p, e) = locked;
        if (p.Status == ParticipantStatus.Cancelled || e.Status == EventStatus.Cancelled || e.StartsAtUtc <= Now)
        {
            return ChangeOutcome.NotAllowed;
        }

        var chosen = await db.Sessions.Where(s => s.EventId == e.Id && s.Capacity != null && sessionIds.Contains(s.Id)).ToListAsync(ct);
        if (p.HoldsSeat)
        {
            foreach (var session in chosen.Where(s => p.Sessions.All(old => old.Id != s.Id)))
            {
                if (await SessionSeatsTakenAsync(session.Id, p.Id, ct) >= session.Capacity)
                {
                    return ChangeOutcome.SessionFull;
                }
            }
        }

        var left = p.Sessions.Where(old => chosen.All(s => s.Id != old.Id)).ToList();
        foreach (var session in left)
        {
            p.Sessions.Remove(session);
        }

        foreach (var session in chosen.Where(s => p.Sessions.All(old => old.Id != s.Id)))
        {
            p.Sessions.Add(session);
        }

        await db.SaveChangesAsync(ct);
        if (p.HoldsSeat && left.Count > 0)
        {
            // A place in a small group became free: someone waiting for exactly that group may move up.
            await MoveUpAsync(e, ct);
        }

        await transaction.CommitAsync(ct);
        return ChangeOutcome.Changed;
    }

    /// <summary>
    /// "Alle Links ungültig machen": every link to the registration stops working (a forwarded or leaked one
    /// included), and one new link goes to the registered address. Returns false for an unknown token.
    /// </summary>
    public Task<bool> RevokeLinksAsync(string token, CancellationToken ct) =>
        db.WithRetriesAsync(() => RevokeLinksOnceAsync(token, ct));

    private async Task<bool> RevokeLinksOnceAsync(string token, CancellationToken ct)
    {
        var ids = await FindAsync(db, token, ct);
        if (ids is null)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var p = await db.Participants.SingleAsync(x => x.Id == ids.Value.ParticipantId, ct);
        var e = await db.Events.AsNoTracking().SingleAsync(x => x.Id == ids.Value.EventId, ct);
        var revoked = await DeleteLinksAsync(db, [p.Id], ct);
        db.OutboxMessages.Add(emails.NewLink(p, e, urls.PrivateLink(MintLink(p))));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Registration {ParticipantId}: {Count} private links revoked by the participant, a new one e-mailed", p.Id, revoked);
        return true;
    }

    /// <summary>"Delete my data": cancels (moving the waiting list up) and anonymises the registration at once.</summary>
    public Task<bool> DeleteDataAsync(string token, CancellationToken ct) =>
        db.WithRetriesAsync(() => DeleteDataOnceAsync(token, ct));

    private async Task<bool> DeleteDataOnceAsync(string token, CancellationToken ct)
    {
        await using var locked = await LockAsync(token, ct);
        if (locked is null)
        {
            return false;
        }

        var (transaction, p, e) = locked;
        var freedSeat = p.HoldsSeat;
        p.Status = ParticipantStatus.Cancelled;
        p.CancelledAtUtc ??= Now;
        Anonymise(p, Now);
        await DeleteLinksAsync(db, [p.Id], ct);
        await db.OutboxMessages.Where(m => m.ParticipantId == p.Id).ExecuteDeleteAsync(ct);
        db.DeletionLog.Add(new DeletionLogEntry { Kind = "deleted-on-request", EventId = e.Id, Count = 1, RunAtUtc = Now });
        await db.SaveChangesAsync(ct);
        if (freedSeat)
        {
            await MoveUpAsync(e, ct);
        }

        await transaction.CommitAsync(ct);
        logger.LogInformation("Registration {ParticipantId} for event {EventId} deleted on request", p.Id, e.Id);
        return true;
    }

    /// <summary>An editor cancels a registration (e.g. after a phone call); the waiting list moves up as usual.</summary>
    public Task<bool> AdminCancelAsync(int participantId, CancellationToken ct) =>
        db.WithRetriesAsync(() => AdminCancelOnceAsync(participantId, ct));

    private async Task<bool> AdminCancelOnceAsync(int participantId, CancellationToken ct)
    {
        await using var locked = await LockAsync(participantId, ct);
        if (locked is null)
        {
            return false;
        }

        await CancelLockedAsync(locked, ct);
        logger.LogInformation("Registration {ParticipantId} for event {EventId} cancelled by an editor", locked.Participant.Id, locked.Event.Id);
        return true;
    }

    /// <summary>Cancels inside the event lock, e-mails the person and hands a freed seat to the waiting list.</summary>
    private async Task CancelLockedAsync(Locked locked, CancellationToken ct)
    {
        var (transaction, p, e) = locked;
        if (p.Status == ParticipantStatus.Cancelled)
        {
            return;
        }

        var freedSeat = p.HoldsSeat;
        p.Status = ParticipantStatus.Cancelled;
        p.CancelledAtUtc = Now;
        db.OutboxMessages.Add(emails.Cancelled(p, e));
        await db.SaveChangesAsync(ct);
        if (freedSeat)
        {
            await MoveUpAsync(e, ct);
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>An editor moves one person up from the waiting list, out of order, if a seat is free. Returns why not, or null.</summary>
    public Task<string?> PromoteAsync(int participantId, CancellationToken ct) =>
        db.WithRetriesAsync(() => PromoteOnceAsync(participantId, ct));

    private async Task<string?> PromoteOnceAsync(int participantId, CancellationToken ct)
    {
        await using var locked = await LockAsync(participantId, ct);
        if (locked is null)
        {
            return "Diese Anmeldung gibt es nicht mehr.";
        }

        var (transaction, p, e) = locked;
        if (p.Status != ParticipantStatus.WaitingList)
        {
            return "Diese Person steht nicht auf der Warteliste.";
        }

        // The editor is told which limit stops the move-up: the event's seats or the chosen small group's.
        if (e.Capacity is { } capacity && await SeatsTakenAsync(e.Id, ct) >= capacity)
        {
            return $"Die Veranstaltung ist voll: Alle {capacity} Plätze sind vergeben. Erhöhen Sie zuerst die Zahl der Plätze.";
        }

        foreach (var session in p.Sessions.Where(s => s.Capacity is not null).OrderBy(s => s.StartsAtUtc))
        {
            if (await SessionSeatsTakenAsync(session.Id, p.Id, ct) >= session.Capacity)
            {
                return $"Die gewählte Kleingruppe „{session.Title}“ ist voll: Alle {session.Capacity} Plätze sind vergeben. In der Veranstaltung wäre noch Platz; erhöhen Sie zuerst die Plätze dieser Kleingruppe.";
            }
        }

        if (!await HasRoomAsync(e, p, ct))
        {
            return "Es ist kein Platz frei. Erhöhen Sie zuerst die Zahl der Plätze.";
        }

        p.Status = ParticipantStatus.Confirmed;
        db.OutboxMessages.Add(MovedUpMessage(p, e));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return null;
    }

    /// <summary>After more seats were added: moves the waiting list up into them, in order. Returns how many moved up.</summary>
    public Task<int> FillFreeSeatsAsync(int eventId, CancellationToken ct) =>
        db.WithRetriesAsync(() => FillFreeSeatsOnceAsync(eventId, ct));

    private async Task<int> FillFreeSeatsOnceAsync(int eventId, CancellationToken ct)
    {
        await using var transaction = await BeginLockedAsync(eventId, ct);
        var e = await db.Events.SingleAsync(x => x.Id == eventId, ct);
        var moved = await FillFreeSeatsLockedAsync(e, ct);
        await transaction.CommitAsync(ct);
        return moved;
    }

    /// <summary>
    /// <see cref="FillFreeSeatsAsync"/> for a caller that already holds the event lock
    /// (<see cref="SeatLock.BeginSeatTransactionAsync"/>) and commits itself, e.g. the event editor.
    /// </summary>
    public async Task<int> FillFreeSeatsLockedAsync(Event e, CancellationToken ct)
    {
        var before = await SeatsTakenAsync(e.Id, ct);
        await MoveUpAsync(e, ct);
        return await SeatsTakenAsync(e.Id, ct) - before;
    }

    /// <summary>
    /// Check-in at the door: a confirmed participant is marked present, or back again. Inside the event lock,
    /// so that a registration cancelled at the same moment is not brought back into a seat.
    /// </summary>
    public Task<bool> SetAttendanceAsync(int participantId, bool present, CancellationToken ct) =>
        db.WithRetriesAsync(() => SetAttendanceOnceAsync(participantId, present, ct));

    private async Task<bool> SetAttendanceOnceAsync(int participantId, bool present, CancellationToken ct)
    {
        await using var locked = await LockAsync(participantId, ct);
        if (locked is null || !locked.Participant.HoldsSeat)
        {
            return false;
        }

        var (transaction, p, _) = locked;
        p.Status = present ? ParticipantStatus.Attended : ParticipantStatus.Confirmed;
        p.CheckedInAtUtc = present ? Now : null;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// A walk-in at the door: added as present, inside the event lock like every seat operation. Like pretix's
    /// box office, the door may let people in beyond the capacity (the room is the organiser's call, not the
    /// software's), but only when the organiser confirms it after being warned (<paramref name="beyondCapacity"/>);
    /// otherwise a full event returns <see cref="WalkInOutcome.Full"/> and nothing is saved. Walk-ins have no
    /// e-mail address: they get no messages and no private link, and a unique placeholder keeps the
    /// (event, address) index satisfied. They are anonymised with everyone else after the event.
    /// </summary>
    public Task<(WalkInOutcome Outcome, int? ParticipantId)> AddWalkInAsync(int eventId, WalkInRequest request, bool beyondCapacity, CancellationToken ct) =>
        db.WithRetriesAsync(() => AddWalkInOnceAsync(eventId, request, beyondCapacity, ct));

    private async Task<(WalkInOutcome Outcome, int? ParticipantId)> AddWalkInOnceAsync(int eventId, WalkInRequest request, bool beyondCapacity, CancellationToken ct)
    {
        await using var transaction = await BeginLockedAsync(eventId, ct);
        var e = await db.Events.SingleAsync(x => x.Id == eventId, ct);
        if (e.Status == EventStatus.Cancelled || e.EndsAtUtc < Now)
        {
            return (WalkInOutcome.NotAllowed, null);
        }

        if (!beyondCapacity && e.Capacity is { } capacity && await SeatsTakenAsync(e.Id, ct) >= capacity)
        {
            return (WalkInOutcome.Full, null);
        }

        var participant = new Participant
        {
            EventId = eventId,
            FirstName = request.FirstName.Trim(),
            LastName = request.LastName.Trim(),
            Email = "",
            EmailNormalized = $"vor-ort-{Guid.NewGuid():N}",
            Organisation = request.Organisation.Trim(),
            OrganisationType = request.OrganisationType,
            PhotoConsent = request.PhotoConsent,
            // No online consent: the staff at the door inform the person (the attendance list is signed on paper).
            PrivacyConsentVersion = WalkInPrivacyVersion,
            Status = ParticipantStatus.Attended,
            CreatedAtUtc = Now,
            ConfirmedAtUtc = Now,
            CheckedInAtUtc = Now,
        };
        db.Participants.Add(participant);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Walk-in {ParticipantId} added at the door of event {EventId}", participant.Id, eventId);
        return (WalkInOutcome.Added, participant.Id);
    }

    /// <summary>Stored as the privacy consent version of walk-ins: they consented on paper at the door, not online.</summary>
    public const string WalkInPrivacyVersion = "vor-ort";

    /// <summary>
    /// Personal data goes; what statistics need (region, organisation type, status, sessions) stays. The caller
    /// deletes the private links (<see cref="DeleteLinksAsync"/>) in the same transaction.
    /// </summary>
    public static void Anonymise(Participant p, DateTime nowUtc)
    {
        p.FirstName = "";
        p.LastName = "";
        p.Email = "";
        p.EmailNormalized = $"anonym-{p.Id}";
        p.Organisation = "";
        p.Function = "";
        p.AccessibilityNeeds = null;
        p.DietaryNeeds = null;
        p.AnonymisedAtUtc = nowUtc;
    }

    /// <summary>Every private link of these registrations stops working.</summary>
    public static Task<int> DeleteLinksAsync(LprEventsDbContext db, IReadOnlyCollection<int> participantIds, CancellationToken ct) =>
        db.ParticipantLinks.Where(l => participantIds.Contains(l.ParticipantId)).ExecuteDeleteAsync(ct);

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>The event lock (<see cref="SeatLock.BeginSeatTransactionAsync"/>).</summary>
    private Task<IDbContextTransaction> BeginLockedAsync(int eventId, CancellationToken ct) => db.BeginSeatTransactionAsync(eventId, ct);

    /// <summary>The registration a private token opens, or null for a malformed, unknown or anonymised one.</summary>
    public static async Task<(int ParticipantId, int EventId)?> FindAsync(LprEventsDbContext db, string? token, CancellationToken ct)
    {
        if (!PrivateTokens.IsWellFormed(token))
        {
            return null;
        }

        var row = await ByTokenHash(db, PrivateTokens.Hash(token!)).SingleOrDefaultAsync(ct);
        return row is null ? null : (row.ParticipantId, row.EventId);
    }

    /// <summary>The registration a link's hash opens (the query of <see cref="FindAsync"/>, parsed as T-SQL in the tests).</summary>
    public static IQueryable<LinkTarget> ByTokenHash(LprEventsDbContext db, string hash) =>
        db.ParticipantLinks.AsNoTracking()
            .Where(l => l.TokenHash == hash && l.Participant.AnonymisedAtUtc == null)
            .Select(l => new LinkTarget(l.Participant.Id, l.Participant.EventId));

    /// <summary>Finds the token's registration, locks its event (<see cref="BeginLockedAsync"/>) and loads both.</summary>
    private async Task<Locked?> LockAsync(string token, CancellationToken ct) =>
        await FindAsync(db, token, ct) is { } ids ? await LockAsync(ids, ct) : null;

    private async Task<Locked?> LockAsync(int participantId, CancellationToken ct)
    {
        var row = await db.Participants.AsNoTracking().Where(p => p.Id == participantId && p.AnonymisedAtUtc == null)
            .Select(p => new { p.Id, p.EventId }).SingleOrDefaultAsync(ct);
        return row is null ? null : await LockAsync((row.Id, row.EventId), ct);
    }

    private async Task<Locked> LockAsync((int ParticipantId, int EventId) ids, CancellationToken ct)
    {
        var transaction = await BeginLockedAsync(ids.EventId, ct);
        var participant = await db.Participants.Include(x => x.Sessions).SingleAsync(x => x.Id == ids.ParticipantId, ct);
        var e = await db.Events.SingleAsync(x => x.Id == ids.EventId, ct);
        return new Locked(transaction, participant, e);
    }

    private sealed record Locked(IDbContextTransaction Transaction, Participant Participant, Event Event) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Transaction.DisposeAsync();
    }

    private async Task<bool> IsOpenAsync(Event e, CancellationToken ct)
    {
        var confirmed = await SeatsTakenAsync(e.Id, ct);
        var state = RegistrationRules.StateOf(e.Status, e.StartsAtUtc, e.EndsAtUtc, e.RegistrationOpensAtUtc, e.RegistrationClosesAtUtc, e.Capacity, e.WaitingListEnabled, confirmed, Now);
        return state is RegistrationState.Open or RegistrationState.WaitingList;
    }

    private Task<int> SeatsTakenAsync(int eventId, CancellationToken ct) =>
        db.Participants.Where(p => p.EventId == eventId).Where(ParticipantRules.HoldsSeat).CountAsync(ct);

    /// <summary>Seats taken in one small group by others than <paramref name="exceptParticipantId"/>.</summary>
    private Task<int> SessionSeatsTakenAsync(int sessionId, int exceptParticipantId, CancellationToken ct) =>
        db.Participants.Where(x => x.Id != exceptParticipantId && x.Sessions.Any(s => s.Id == sessionId)).Where(ParticipantRules.HoldsSeat).CountAsync(ct);

    private async Task<bool> HasRoomAsync(Event e, Participant p, CancellationToken ct)
    {
        if (e.Capacity is not { } capacity || await SeatsTakenAsync(e.Id, ct) >= capacity)
        {
            return false;
        }

        foreach (var session in p.Sessions.Where(s => s.Capacity is not null))
        {
            if (await SessionSeatsTakenAsync(session.Id, p.Id, ct) >= session.Capacity)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Fills free seats from the waiting list, first come first served, skipping people whose group is full.</summary>
    private async Task MoveUpAsync(Event e, CancellationToken ct)
    {
        if (e.StartsAtUtc <= Now || e.Status == EventStatus.Cancelled)
        {
            return;
        }

        var waiting = await db.Participants.Include(x => x.Sessions)
            .Where(x => x.EventId == e.Id && x.Status == ParticipantStatus.WaitingList)
            .OrderBy(x => x.ConfirmedAtUtc).ThenBy(x => x.Id)
            .ToListAsync(ct);
        foreach (var candidate in waiting)
        {
            if (e.Capacity is { } capacity && await SeatsTakenAsync(e.Id, ct) >= capacity)
            {
                break;
            }

            if (!await HasRoomAsync(e, candidate, ct))
            {
                continue;
            }

            candidate.Status = ParticipantStatus.Confirmed;
            db.OutboxMessages.Add(MovedUpMessage(candidate, e));
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Participant {ParticipantId} moved up from the waiting list of event {EventId}", candidate.Id, e.Id);
        }
    }

    /// <summary>The moved-up e-mail carries a link of its own: the person may have lost the first one.</summary>
    private OutboxMessage MovedUpMessage(Participant p, Event e) =>
        emails.MovedUp(p, e, urls.PrivateLink(MintLink(p)), IcsBuilder.ForEvent(e, urls.Event(e.Slug), Now, onlineAccess: true, EmailComposer.SmallGroups(p.Sessions)));

    private string MintLink(Participant p) => MintLink(p, Now);

    /// <summary>
    /// A new private link for <paramref name="p"/>, saved with the next SaveChanges; returns its token, which
    /// exists only in the e-mail it is put into (the database keeps its hash).
    /// </summary>
    public static string MintLink(Participant p, DateTime nowUtc)
    {
        var token = PrivateTokens.New();
        p.Links.Add(new ParticipantLink { TokenHash = PrivateTokens.Hash(token), CreatedAtUtc = nowUtc });
        return token;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

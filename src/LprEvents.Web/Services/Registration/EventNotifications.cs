using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Email;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services.Registration;

/// <summary>
/// Tells everyone registered when an event is cancelled or its date or venue changes. Called by the
/// editors' actions; the e-mails go through the outbox in the same transaction as the change.
/// </summary>
public sealed class EventNotifications(
    LprEventsDbContext db,
    EmailComposer emails,
    PublicUrls urls,
    TimeProvider time,
    ILogger<EventNotifications> logger)
{
    /// <summary>
    /// Cancels the event and tells everyone registered. Inside the event lock: a confirmation that commits first
    /// is told with everyone else; one that commits later sees the cancelled event.
    /// </summary>
    public Task<int> CancelEventAsync(int eventId, CancellationToken ct) =>
        db.WithRetriesAsync(() => CancelEventOnceAsync(eventId, ct));

    private async Task<int> CancelEventOnceAsync(int eventId, CancellationToken ct)
    {
        await using var transaction = await db.BeginSeatTransactionAsync(eventId, ct);
        var e = await db.Events.SingleAsync(x => x.Id == eventId, ct);
        if (e.Status == EventStatus.Cancelled)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        e.Status = EventStatus.Cancelled;
        e.UpdatedAtUtc = now;
        var ics = IcsBuilder.ForEvent(e, urls.Event(e.Slug), now);
        var participants = await ActiveParticipants(eventId).ToListAsync(ct);
        foreach (var p in participants)
        {
            db.OutboxMessages.Add(emails.EventCancelled(p, e, ics));
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Event {EventId} cancelled; {Count} participants notified", eventId, participants.Count);
        return participants.Count;
    }

    /// <summary>Call after saving a change of date, time or venue; <paramref name="change"/> says what changed, in German.</summary>
    public async Task<int> NotifyChangedAsync(int eventId, string change, CancellationToken ct)
    {
        var e = await db.Events.SingleAsync(x => x.Id == eventId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var ics = IcsBuilder.ForEvent(e, urls.Event(e.Slug), now);
        var seatIcs = IcsBuilder.ForEvent(e, urls.Event(e.Slug), now, onlineAccess: true);
        var participants = await ActiveParticipants(eventId).Where(p => p.Status != ParticipantStatus.AwaitingConfirmation).ToListAsync(ct);
        foreach (var p in participants)
        {
            // Each notice carries a working private link of its own: people change or cancel after a change.
            var link = urls.PrivateLink(RegistrationService.MintLink(p, now));
            db.OutboxMessages.Add(p.HoldsSeat
                ? emails.EventChanged(p, e, change, link, seatIcs, onlineAccess: true)
                : emails.EventChanged(p, e, change, link, ics, onlineAccess: false));
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("Event {EventId} changed; {Count} participants notified", eventId, participants.Count);
        return participants.Count;
    }

    /// <summary>Those to tell; walk-ins added at the door have no address (<see cref="RegistrationService.AddWalkInAsync"/>).</summary>
    private IQueryable<Participant> ActiveParticipants(int eventId) =>
        db.Participants.Where(p => p.EventId == eventId && p.Status != ParticipantStatus.Cancelled && p.AnonymisedAtUtc == null && p.Email != "");
}

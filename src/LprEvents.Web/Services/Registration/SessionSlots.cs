using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.ViewModels.Registration;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services.Registration;

/// <summary>The choosable sessions of an event, grouped into time slots, with their seats taken.</summary>
public static class SessionSlots
{
    /// <param name="holdsEventSeat">
    /// The person choosing already holds a seat of the event (the private page of a confirmed participant): a
    /// full event does not stop them from switching groups, so only the groups' own places count. For anyone
    /// else a full event makes every group "ausgebucht", whatever places the group itself has left.
    /// </param>
    public static async Task<IReadOnlyList<SessionSlot>> LoadAsync(LprEventsDbContext db, int eventId, CancellationToken ct, bool holdsEventSeat = false)
    {
        var eventFull = !holdsEventSeat && await db.Events.AsNoTracking().Where(e => e.Id == eventId)
            .Select(e => e.Capacity != null && e.Participants.AsQueryable().Count(ParticipantRules.HoldsSeat) >= e.Capacity)
            .SingleAsync(ct);
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.EventId == eventId && s.Capacity != null)
            .InProgramOrder()
            .Select(s => new
            {
                s.Id,
                s.Title,
                s.Room,
                s.StartsAtUtc,
                s.EndsAtUtc,
                Capacity = s.Capacity!.Value,
                Taken = s.Participants.AsQueryable().Count(ParticipantRules.HoldsSeat),
            })
            .ToListAsync(ct);
        return sessions
            .GroupBy(s => s.StartsAtUtc)
            .Select((g, index) => new SessionSlot(
                index,
                g.Key,
                g.Max(s => s.EndsAtUtc),
                g.Select(s => new SessionChoice(s.Id, s.Title, s.Room, s.Capacity, s.Taken, eventFull)).ToList()))
            .ToList();
    }
}

using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.ViewModels.Registration;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Services.Registration;

/// <summary>The choosable sessions of an event, grouped into time slots, with their seats taken.</summary>
public static class SessionSlots
{
    public static async Task<IReadOnlyList<SessionSlot>> LoadAsync(LprEventsDbContext db, int eventId, CancellationToken ct)
    {
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.EventId == eventId && s.Capacity != null)
            .OrderBy(s => s.StartsAtUtc).ThenBy(s => s.Id)
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
                g.Select(s => new SessionChoice(s.Id, s.Title, s.Room, s.Capacity, s.Taken)).ToList()))
            .ToList();
    }
}

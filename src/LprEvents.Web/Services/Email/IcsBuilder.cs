using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using LprEvents.Web.Domain;

namespace LprEvents.Web.Services.Email;

/// <summary>iCalendar (RFC 5545) files for one event, built with Ical.Net.</summary>
public static class IcsBuilder
{
    public const string ContentType = "text/calendar";

    private static readonly DateTime SequenceEpoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Independent of the host name the file was fetched under, so a later "changed" or "cancelled" file
    /// replaces the entry the participant imported (RFC 5545 UID).
    /// </summary>
    public static string Uid(Event e) => $"lprevents-event-{e.Id}@lpr.sachsen.de";

    /// <param name="eventUrl">The event's public page (<see cref="PublicUrls.Event"/>).</param>
    /// <param name="onlineAccess">Adds the online meeting's access link: only for people holding a seat.</param>
    /// <param name="smallGroups">The participant's own small groups (<see cref="EmailComposer.SmallGroups"/>), for a personal file.</param>
    public static string ForEvent(Event e, string eventUrl, DateTime nowUtc, bool onlineAccess = false, IReadOnlyList<string>? smallGroups = null)
    {
        var url = eventUrl;
        var description = string.IsNullOrWhiteSpace(e.Summary) ? url : $"{e.Summary}\n\n{url}";
        if (onlineAccess && !string.IsNullOrWhiteSpace(e.OnlineUrl) && e.Status != Domain.EventStatus.Cancelled)
        {
            description += $"\n\nOnline-Zugang (nur für Sie): {e.OnlineUrl}";
        }

        if (smallGroups is { Count: > 0 } && e.Status != Domain.EventStatus.Cancelled)
        {
            description += $"\n\n{(smallGroups.Count == 1 ? "Ihre Kleingruppe" : "Ihre Kleingruppen")}: {string.Join("; ", smallGroups)}";
        }

        var calendarEvent = new CalendarEvent
        {
            Uid = Uid(e),
            Summary = e.Title,
            Description = description,
            Location = Location(e),
            Url = new Uri(url),
            DtStart = new CalDateTime(e.StartsAtUtc, "UTC"),
            DtEnd = new CalDateTime(e.EndsAtUtc, "UTC"),
            DtStamp = new CalDateTime(nowUtc, "UTC"),
            // A later file for the same event replaces the earlier one in the reader's calendar.
            Sequence = (int)Math.Max(0, (e.UpdatedAtUtc - SequenceEpoch).TotalMinutes),
            Status = e.Status == Domain.EventStatus.Cancelled ? Ical.Net.EventStatus.Cancelled : Ical.Net.EventStatus.Confirmed,
        };
        var calendar = new Calendar { ProductId = "-//Landespraeventionsrat Sachsen//LprEvents//DE", Method = "PUBLISH" };
        calendar.Events.Add(calendarEvent);
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    public static string FileName(Event e) => $"{e.Slug}.ics";

    public static string Location(Event e)
    {
        var parts = new[] { e.VenueName, e.VenueStreet, $"{e.VenuePostcode} {e.VenueCity}".Trim() }.Where(p => !string.IsNullOrWhiteSpace(p));
        return string.Join(", ", parts);
    }
}

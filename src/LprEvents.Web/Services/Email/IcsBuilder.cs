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

    public static string ForEvent(Event e, string baseUrl, DateTime nowUtc)
    {
        var url = $"{baseUrl}/veranstaltungen/{e.Slug}";
        var calendarEvent = new CalendarEvent
        {
            Uid = $"lprevents-event-{e.Id}@{new Uri(baseUrl).Host}",
            Summary = e.Title,
            Description = string.IsNullOrWhiteSpace(e.Summary) ? url : $"{e.Summary}\n\n{url}",
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

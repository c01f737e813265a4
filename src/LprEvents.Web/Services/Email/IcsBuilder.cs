using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using LprEvents.Web.Domain;

namespace LprEvents.Web.Services.Email;

/// <summary>
/// iCalendar (RFC 5545) files built with Ical.Net: one event for a participant (e-mail attachment, private page) and
/// the public calendars people subscribe to. Times are Berlin local time with the zone's VTIMEZONE, so a calendar
/// program shows 10:00 for a meeting at 10:00 on either side of a clock change.
/// </summary>
public static class IcsBuilder
{
    public const string ContentType = "text/calendar";

    /// <summary>How often subscribers' calendar programs should fetch a public calendar again (REFRESH-INTERVAL, X-PUBLISHED-TTL).</summary>
    public const string RefreshInterval = "PT3H";

    private const string ProductId = "-//Landespraeventionsrat Sachsen//LprEvents//DE";

    private static readonly string TimeZoneId = BerlinTime.Zone.Id;

    private static readonly DateTime SequenceEpoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Observances from 1996 on, when today's EU rule began: valid for every event the portal has ever had.</summary>
    private static readonly DateTime TimeZoneRulesFrom = new(1997, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Independent of the host name the file was fetched under, so a later "changed" or "cancelled" file
    /// replaces the entry the participant imported (RFC 5545 UID).
    /// </summary>
    public static string Uid(Event e) => $"lprevents-event-{e.Id}@lpr.sachsen.de";

    /// <summary>A participant's file for one event.</summary>
    /// <param name="eventUrl">The event's public page (<see cref="PublicUrls.Event"/>).</param>
    /// <param name="onlineAccess">Adds the online meeting's access link: only for people holding a seat.</param>
    /// <param name="smallGroups">The participant's own small groups (<see cref="EmailComposer.SmallGroups"/>), for a personal file.</param>
    public static string ForEvent(Event e, string eventUrl, DateTime nowUtc, bool onlineAccess = false, IReadOnlyList<string>? smallGroups = null)
    {
        var description = Description(e, eventUrl);
        if (onlineAccess && !string.IsNullOrWhiteSpace(e.OnlineUrl) && e.Status != Domain.EventStatus.Cancelled)
        {
            description += $"\n\nOnline-Zugang (nur für Sie): {e.OnlineUrl}";
        }

        if (smallGroups is { Count: > 0 } && e.Status != Domain.EventStatus.Cancelled)
        {
            description += $"\n\n{(smallGroups.Count == 1 ? "Ihre Kleingruppe" : "Ihre Kleingruppen")}: {string.Join("; ", smallGroups)}";
        }

        var calendar = NewCalendar();
        calendar.Events.Add(CalendarEvent(e, eventUrl, description, nowUtc));
        return Serialize(calendar);
    }

    /// <summary>
    /// A public calendar to subscribe to (webcal): the events' public facts only, never an online access link or anything
    /// about participants. <paramref name="name"/> is what calendar programs call the subscription (X-WR-CALNAME).
    /// </summary>
    public static string PublicCalendar(string name, IEnumerable<Event> events, Func<Event, string> eventUrl, DateTime nowUtc)
    {
        var calendar = NewCalendar();
        calendar.AddProperty("X-WR-CALNAME", name);
        calendar.AddProperty("X-WR-TIMEZONE", TimeZoneId);
        var refresh = new CalendarProperty("REFRESH-INTERVAL", RefreshInterval);
        refresh.Parameters.Set("VALUE", "DURATION");
        calendar.AddProperty(refresh);
        calendar.AddProperty("X-PUBLISHED-TTL", RefreshInterval);
        foreach (var e in events)
        {
            var url = eventUrl(e);
            calendar.Events.Add(CalendarEvent(e, url, Description(e, url), nowUtc));
        }

        return Serialize(calendar);
    }

    public static string FileName(Event e) => $"{e.Slug}.ics";

    public static string Location(Event e)
    {
        var parts = new[] { e.VenueName, e.VenueStreet, $"{e.VenuePostcode} {e.VenueCity}".Trim() }.Where(p => !string.IsNullOrWhiteSpace(p));
        return string.Join(", ", parts);
    }

    private static string Description(Event e, string url) =>
        string.IsNullOrWhiteSpace(e.Summary) ? url : $"{e.Summary}\n\n{url}";

    private static Calendar NewCalendar()
    {
        var calendar = new Calendar { ProductId = ProductId, Method = "PUBLISH" };
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(TimeZoneId, TimeZoneRulesFrom, includeHistoricalData: false));
        return calendar;
    }

    private static CalendarEvent CalendarEvent(Event e, string url, string description, DateTime nowUtc) => new()
    {
        Uid = Uid(e),
        Summary = e.Title,
        Description = description,
        Location = Location(e),
        Url = new Uri(url),
        DtStart = Local(e.StartsAtUtc),
        DtEnd = Local(e.EndsAtUtc),
        DtStamp = new CalDateTime(nowUtc, "UTC"),
        // A later file for the same event replaces the earlier one in the reader's calendar.
        Sequence = (int)Math.Max(0, (e.UpdatedAtUtc - SequenceEpoch).TotalMinutes),
        Status = e.Status == Domain.EventStatus.Cancelled ? Ical.Net.EventStatus.Cancelled : Ical.Net.EventStatus.Confirmed,
    };

    private static CalDateTime Local(DateTime utc) => new(BerlinTime.ToLocal(utc), TimeZoneId);

    private static string Serialize(Calendar calendar) => new CalendarSerializer().SerializeToString(calendar) ?? "";
}

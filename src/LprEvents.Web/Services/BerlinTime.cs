using System.Globalization;

namespace LprEvents.Web.Services;

/// <summary>
/// The portal's one notion of local time: Europe/Berlin, German formats (<c>20.04.2023</c>,
/// <c>Donnerstag, 20. April 2023, 10:00 Uhr</c>). Stored times are UTC.
/// </summary>
public static class BerlinTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("de-DE");

    public static DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public static DateTime ToUtc(DateTime local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);

    public static DateTime ToUtc(DateOnly day, int hour, int minute) =>
        ToUtc(day.ToDateTime(new TimeOnly(hour, minute)));

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(ToLocal(time.GetUtcNow().UtcDateTime));

    /// <summary>20.04.2023</summary>
    public static string Date(DateTime utc) => ToLocal(utc).ToString("dd.MM.yyyy", Culture);

    /// <summary>Donnerstag, 20. April 2023</summary>
    public static string LongDate(DateTime utc) => ToLocal(utc).ToString("dddd, d. MMMM yyyy", Culture);

    /// <summary>Donnerstag, 20. April 2023, 10:00 Uhr</summary>
    public static string LongDateTime(DateTime utc) => ToLocal(utc).ToString("dddd, d. MMMM yyyy, HH:mm 'Uhr'", Culture);

    /// <summary>10:00</summary>
    public static string Time(DateTime utc) => ToLocal(utc).ToString("HH:mm", Culture);

    /// <summary>10:00 bis 11:30 Uhr</summary>
    public static string TimeRange(DateTime startUtc, DateTime endUtc) => $"{Time(startUtc)} bis {Time(endUtc)} Uhr";

    /// <summary>Donnerstag, 20. April 2023, 09:30 bis 15:00 Uhr — or both dates when it spans days.</summary>
    public static string Range(DateTime startUtc, DateTime endUtc)
    {
        var start = ToLocal(startUtc);
        var end = ToLocal(endUtc);
        return start.Date == end.Date
            ? $"{LongDate(startUtc)}, {TimeRange(startUtc, endUtc)}"
            : $"{LongDateTime(startUtc)} bis {LongDateTime(endUtc)}";
    }

    /// <summary>ISO 8601 with the Berlin offset, for <c>&lt;time datetime&gt;</c> and JSON-LD.</summary>
    public static string Iso(DateTime utc)
    {
        var local = ToLocal(utc);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}

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

    /// <summary>
    /// Local Berlin time to UTC, with a rule for the two nights a year when the clocks change. In autumn 02:00 to
    /// 02:59 happen twice: the first occurrence counts, still in summer time (an event at "02:30" starts when the
    /// clock first shows 02:30). In spring 02:00 to 02:59 do not exist: forms refuse such a time with
    /// <see cref="MissingTimeMessage"/>; anything computed (a copy a year later) moves on by the skipped hour, so
    /// 02:30 becomes 03:30, instead of failing.
    /// </summary>
    public static DateTime ToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsAmbiguousTime(unspecified))
        {
            return DateTime.SpecifyKind(unspecified - Zone.GetAmbiguousTimeOffsets(unspecified).Max(), DateTimeKind.Utc);
        }

        if (Zone.IsInvalidTime(unspecified))
        {
            // Read with the offset in force before the gap: 02:30 at UTC+1 is 01:30 UTC, which is 03:30 summer time.
            return DateTime.SpecifyKind(unspecified - Zone.GetUtcOffset(unspecified.AddHours(-6)), DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(unspecified, Zone);
    }

    public static DateTime ToUtc(DateOnly day, int hour, int minute) =>
        ToUtc(day.ToDateTime(new TimeOnly(hour, minute)));

    /// <summary>False for a local time in the hour skipped when summer time begins (29.03.2026, 02:30).</summary>
    public static bool Exists(DateTime local) => !Zone.IsInvalidTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));

    /// <summary>The German explanation for a local time that does not exist, naming the day and the jump; null when it exists.</summary>
    public static string? MissingTimeMessage(DateTime local)
    {
        if (Exists(local))
        {
            return null;
        }

        var minute = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified);
        var gapStart = minute;
        for (var i = 0; i < 24 * 60 && !Exists(gapStart.AddMinutes(-1)); i++)
        {
            gapStart = gapStart.AddMinutes(-1);
        }

        var gapEnd = minute;
        for (var i = 0; i < 24 * 60 && !Exists(gapEnd); i++)
        {
            gapEnd = gapEnd.AddMinutes(1);
        }

        return $"Diese Uhrzeit gibt es am {local.ToString("dd.MM.yyyy", Culture)} wegen der Zeitumstellung nicht: " +
            $"Die Uhren springen um {gapStart.ToString("HH:mm", Culture)} Uhr auf {gapEnd.ToString("HH:mm", Culture)} Uhr vor. Bitte wählen Sie eine andere Uhrzeit.";
    }

    /// <summary>What a <c>datetime-local</c> field posts (<c>2026-12-01T09:00</c>), as local time; null when it is not that.</summary>
    public static DateTime? ParseLocal(string? value) =>
        DateTime.TryParseExact(value, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? local
            : null;

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(ToLocal(time.GetUtcNow().UtcDateTime));

    /// <summary>20.04.2023</summary>
    public static string Date(DateTime utc) => ToLocal(utc).ToString("dd.MM.yyyy", Culture);

    /// <summary>A calendar day (an article's date) as readers see it.</summary>
    public static string Date(DateOnly day) => day.ToString("dd.MM.yyyy", Culture);

    /// <summary>A calendar day for <c>datetime</c> attributes and JSON-LD.</summary>
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

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

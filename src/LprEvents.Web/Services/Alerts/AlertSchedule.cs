using LprEvents.Web.Configuration;

namespace LprEvents.Web.Services.Alerts;

/// <summary>When the weekly digest is due: a weekday and a time in Europe/Berlin, as UTC instants.</summary>
public static class AlertSchedule
{
    /// <summary>The latest digest slot at or before <paramref name="nowUtc"/>.</summary>
    public static DateTime LatestSlot(DateTime nowUtc, AlertOptions options)
    {
        var today = DateOnly.FromDateTime(BerlinTime.ToLocal(nowUtc));
        var time = options.DigestTimeOfDay;
        for (var back = 0; back <= 7; back++)
        {
            var day = today.AddDays(-back);
            if (day.DayOfWeek != options.DigestDay)
            {
                continue;
            }

            var slot = BerlinTime.ToUtc(day, time.Hour, time.Minute);
            if (slot <= nowUtc)
            {
                return slot;
            }
        }

        // Today is the day but its time has not come yet: the slot of a week ago.
        var lastWeek = today.AddDays(-7);
        return BerlinTime.ToUtc(lastWeek, time.Hour, time.Minute);
    }
}

using LprEvents.Web.Services;

namespace LprEvents.Tests.Services;

public sealed class BerlinTimeTests
{
    private static readonly DateTime FreibergStartUtc = new(2023, 4, 20, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void LongDateTime_InSummerTime_ShowsGermanWeekdayMonthAndLocalHour()
    {
        Assert.Equal("Donnerstag, 20. April 2023, 10:00 Uhr", BerlinTime.LongDateTime(FreibergStartUtc));
    }

    [Fact]
    public void Date_ShowsGermanShortDate()
    {
        Assert.Equal("20.04.2023", BerlinTime.Date(FreibergStartUtc));
    }

    [Fact]
    public void Range_OnOneDay_ShowsDateOnceWithTimes()
    {
        Assert.Equal("Donnerstag, 20. April 2023, 10:00 bis 15:30 Uhr", BerlinTime.Range(FreibergStartUtc, FreibergStartUtc.AddHours(5.5)));
    }

    [Fact]
    public void ToUtc_InWinter_UsesOneHourOffset()
    {
        Assert.Equal(new DateTime(2026, 1, 15, 8, 30, 0, DateTimeKind.Utc), BerlinTime.ToUtc(new DateOnly(2026, 1, 15), 9, 30));
        Assert.Equal("2026-01-15T09:30:00+01:00", BerlinTime.Iso(new DateTime(2026, 1, 15, 8, 30, 0, DateTimeKind.Utc)));
    }
}

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

    [Fact]
    public void ToUtc_ForATimeThatOccursTwiceInAutumn_TakesTheFirstOccurrenceInSummerTime()
    {
        Assert.Equal(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc), BerlinTime.ToUtc(new DateOnly(2026, 10, 25), 2, 30));
        Assert.Equal(new DateTime(2026, 10, 25, 2, 0, 0, DateTimeKind.Utc), BerlinTime.ToUtc(new DateOnly(2026, 10, 25), 3, 0));
    }

    [Fact]
    public void ToUtc_ForATimeInTheSpringGap_DoesNotThrowAndMovesOnByTheHourThatIsSkipped()
    {
        Assert.Equal(new DateTime(2026, 3, 29, 1, 30, 0, DateTimeKind.Utc), BerlinTime.ToUtc(new DateOnly(2026, 3, 29), 2, 30));
        Assert.Equal("03:30", BerlinTime.Time(BerlinTime.ToUtc(new DateOnly(2026, 3, 29), 2, 30)));
    }

    [Theory]
    [InlineData(2026, 3, 29, 2, 0, false)]
    [InlineData(2026, 3, 29, 2, 59, false)]
    [InlineData(2026, 3, 29, 1, 59, true)]
    [InlineData(2026, 3, 29, 3, 0, true)]
    [InlineData(2026, 10, 25, 2, 30, true)]
    public void Exists_KnowsTheHourSkippedInSpring(int year, int month, int day, int hour, int minute, bool exists)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);

        Assert.Equal(exists, BerlinTime.Exists(local));
        Assert.Equal(exists, BerlinTime.MissingTimeMessage(local) is null);
    }

    [Fact]
    public void MissingTimeMessage_NamesTheDayAndTheJump()
    {
        Assert.Equal(
            "Diese Uhrzeit gibt es am 29.03.2026 wegen der Zeitumstellung nicht: Die Uhren springen um 02:00 Uhr auf 03:00 Uhr vor. Bitte wählen Sie eine andere Uhrzeit.",
            BerlinTime.MissingTimeMessage(new DateTime(2026, 3, 29, 2, 30, 0, DateTimeKind.Unspecified)));
    }
}

using LprEvents.Web.Domain;
using LprEvents.Web.Services.Participants;
using LprEvents.Web.Services.Publishing;

namespace LprEvents.Tests.Services.Publishing;

public sealed class ReportDraftTests
{
    private static Event Meeting(string venue, string city, string organisers)
    {
        var start = new DateTime(2026, 10, 6, 7, 0, 0, DateTimeKind.Utc);
        var e = new Event
        {
            Title = "Vernetzungstreffen Leipzig",
            Slug = "vernetzungstreffen-leipzig-2026",
            Kind = EventKind.Vernetzungstreffen,
            StartsAtUtc = start,
            EndsAtUtc = start.AddHours(6),
            VenueName = venue,
            VenueCity = city,
            Organisers = organisers,
        };
        e.Sessions.Add(new Session { Title = "Begrüßung", Kind = SessionKind.Plenary, StartsAtUtc = start, EndsAtUtc = start.AddMinutes(15) });
        e.Sessions.Add(new Session { Title = "Sicherheit auf Stadtfesten", Kind = SessionKind.SmallGroup, StartsAtUtc = start.AddHours(1), EndsAtUtc = start.AddHours(2), Capacity = 10 });
        e.Sessions.Add(new Session { Title = "Junge Menschen beteiligen", Kind = SessionKind.SmallGroup, StartsAtUtc = start.AddHours(1), EndsAtUtc = start.AddHours(2), Capacity = 10 });
        return e;
    }

    [Theory]
    [InlineData("Institut für Kriminologie", "Leipzig", "im Institut für Kriminologie, Leipzig")]
    [InlineData("Stadthalle Chemnitz", "Chemnitz", "in der Stadthalle Chemnitz")]
    [InlineData("Neues Rathaus", "Leipzig", "im Neuen Rathaus, Leipzig")]
    [InlineData("Sächsische Staatskanzlei", "Dresden", "in der Sächsischen Staatskanzlei, Dresden")]
    [InlineData("Landratsamt Mittelsachsen", "Freiberg", "im Landratsamt Mittelsachsen, Freiberg")]
    [InlineData("Freiberg", "Freiberg", "in Freiberg")]
    [InlineData("Kulturbahnhof", "Görlitz", "im Kulturbahnhof, Görlitz")]
    [InlineData("Alte Feuerwache", "Dresden", "in der Alten Feuerwache, Dresden")]
    public void Venue_ReadsAsGerman_AndNamesTheCityOnce(string venue, string city, string expected)
    {
        Assert.Equal(expected, ReportDraft.Venue(venue, city));
    }

    [Fact]
    public void Compose_WritesCorrectGermanForVenueAndOrganisers()
    {
        var body = ReportDraft.Compose(Meeting("Institut für Kriminologie", "Leipzig", "Landespräventionsrat Sachsen und Förderverein Prävention e. V."), [], 0);

        Assert.StartsWith(
            "Am Dienstag, 6. Oktober 2026 fand das Treffen „Vernetzungstreffen Leipzig“ im Institut für Kriminologie, Leipzig statt. "
            + "Eingeladen hatten der Landespräventionsrat Sachsen und der Förderverein Prävention e. V.\n",
            body,
            StringComparison.Ordinal);
        Assert.DoesNotContain("e. V..", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_OneOrganiser_IsSingular()
    {
        var body = ReportDraft.Compose(Meeting("Rathaus", "Pirna", "Landespräventionsrat Sachsen"), [], 0);

        Assert.Contains(" im Rathaus, Pirna statt. Eingeladen hatte der Landespräventionsrat Sachsen.\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_NamesTheSmallGroups()
    {
        var body = ReportDraft.Compose(Meeting("Rathaus", "Pirna", ""), [], 0);

        Assert.Contains("In 2 Kleingruppen ging es um „Sicherheit auf Stadtfesten“ und „Junge Menschen beteiligen“.", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_AttendanceFigures_ComeFromWhatItIsGiven()
    {
        var body = ReportDraft.Compose(Meeting("Rathaus", "Pirna", ""), [new StatisticsRow("Dresden", 3), new StatisticsRow("Leipzig", 1)], 4);

        Assert.Contains("4 Personen nahmen teil, unter anderem aus Dresden (3).", body, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishingGate_RefusesTheDraftsPlaceholders_InGerman()
    {
        var body = ReportDraft.Compose(Meeting("Rathaus", "Pirna", ""), [], 0);

        var problems = PublishingGate.Check("Bericht", body, null, null, hasLeadImage: false);

        Assert.Equal(
            [
                "Im Text steht noch der Platzhalter „[Hier beschreiben Sie, worum es ging und was herauskam.]“. Ersetzen Sie ihn durch Ihren eigenen Text oder löschen Sie ihn.",
                "Im Text steht noch der Platzhalter „[Ausblick und Termine ergänzen.]“. Ersetzen Sie ihn durch Ihren eigenen Text oder löschen Sie ihn.",
            ],
            problems);
    }
}

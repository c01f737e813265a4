using System.Net;
using Ical.Net;
using Ical.Net.CalendarComponents;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using EventStatus = LprEvents.Web.Domain.EventStatus;

namespace LprEvents.Tests.Feeds;

/// <summary>
/// Citizens subscribe to the events of Saxony, of their region or of one meeting in their own calendar program: Berlin
/// times that stay right across the clock changes, stable UIDs so updates replace entries, and cancellations marked.
/// </summary>
public sealed class CalendarFeedTests(EmptySiteFactory factory) : IClassFixture<EmptySiteFactory>
{
    private const string Base = LprWebFactory.DefaultPublicBaseUrl;

    private async Task<(HttpResponseMessage Response, string Text)> GetAsync(string path)
    {
        var response = await factory.CreateClient().GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return (response, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<(Calendar Calendar, string Text)> LoadAsync(string path)
    {
        var (response, text) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return (Calendar.Load(text)!, text);
    }

    private static CalendarEvent Entry(Calendar calendar, Event e) => Assert.Single(calendar.Events, c => c.Uid == $"lprevents-event-{e.Id}@lpr.sachsen.de");

    /// <summary>RFC 5545 folds long lines; a calendar program reads them joined.</summary>
    private static string Unfold(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);

    [Fact]
    public async Task Calendar_KeepsBerlinLocalTimes_OnBothSidesOfTheClockChangesInMarchAndOctober()
    {
        // 2026: summer time from 29 March, winter time from 25 October.
        var beforeSpring = await FeedData.AddEventAsync(factory, "dst-vor-maerz", new DateTime(2026, 3, 28, 10, 0, 0), regions: ["meissen"]);
        var afterSpring = await FeedData.AddEventAsync(factory, "dst-nach-maerz", new DateTime(2026, 3, 30, 10, 0, 0), regions: ["meissen"]);
        var beforeAutumn = await FeedData.AddEventAsync(factory, "dst-vor-oktober", new DateTime(2026, 10, 24, 10, 0, 0), regions: ["meissen"]);
        var afterAutumn = await FeedData.AddEventAsync(factory, "dst-nach-oktober", new DateTime(2026, 10, 26, 10, 0, 0), regions: ["meissen"]);

        var (calendar, text) = await LoadAsync("/regionen/meissen/kalender.ics");

        var zone = Assert.Single(calendar.TimeZones);
        Assert.Equal("Europe/Berlin", zone.TzId);
        Assert.Contains(zone.TimeZoneInfos, i => i.Name == "DAYLIGHT");
        Assert.Contains(zone.TimeZoneInfos, i => i.Name == "STANDARD");
        foreach (var (e, utcHour) in new[] { (beforeSpring, 9), (afterSpring, 8), (beforeAutumn, 8), (afterAutumn, 9) })
        {
            var entry = Entry(calendar, e);
            Assert.Equal("Europe/Berlin", entry.DtStart!.TzId);
            Assert.Equal(10, entry.DtStart.Value.Hour);
            Assert.Equal(13, entry.DtEnd!.Value.Hour);
            Assert.Equal(e.StartsAtUtc, entry.DtStart.AsUtc);
            Assert.Equal(utcHour, entry.DtStart.AsUtc.Hour);
        }

        Assert.Contains("DTSTART;TZID=Europe/Berlin:20260330T100000", text, StringComparison.Ordinal);
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20261026T100000", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiteCalendar_HasUpcomingAndLastYearsPublicEvents_CancelledMarked_DraftsAndOlderOnesLeftOut()
    {
        var now = FeedData.Now(factory);
        var upcoming = await FeedData.AddEventAsync(factory, "kal-kommend", new DateTime(2026, 6, 1, 9, 0, 0));
        var cancelled = await FeedData.AddEventAsync(factory, "kal-abgesagt", new DateTime(2026, 6, 2, 9, 0, 0), EventStatus.Cancelled);
        var recent = await FeedData.AddEventAsync(factory, "kal-letzter-herbst", new DateTime(2025, 9, 15, 9, 0, 0));
        await FeedData.AddEventAsync(factory, "kal-entwurf", new DateTime(2026, 6, 3, 9, 0, 0), EventStatus.Draft);
        await FeedData.AddEventAsync(factory, "kal-vorletztes-jahr", new DateTime(2025, 1, 10, 9, 0, 0));

        var (calendar, text) = await LoadAsync("/kalender.ics");

        Assert.Equal("CONFIRMED", Entry(calendar, upcoming).Status);
        Assert.Equal("CANCELLED", Entry(calendar, cancelled).Status);
        Entry(calendar, recent);
        Assert.DoesNotContain("kal-entwurf", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kal-vorletztes-jahr", text, StringComparison.Ordinal);
        Assert.True(recent.StartsAtUtc < now);

        var unfolded = Unfold(text);
        Assert.Contains("X-WR-CALNAME:Landespräventionsrat Sachsen: Veranstaltungen\r\n", unfolded, StringComparison.Ordinal);
        Assert.Contains("REFRESH-INTERVAL;VALUE=DURATION:PT3H\r\n", unfolded, StringComparison.Ordinal);
        Assert.Contains("X-PUBLISHED-TTL:PT3H\r\n", unfolded, StringComparison.Ordinal);
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal(new Uri($"{Base}/veranstaltungen/kal-kommend"), Entry(calendar, upcoming).Url);
        Assert.Equal("Rathaus, Am Markt 1, 09599 Freiberg", Entry(calendar, upcoming).Location);
    }

    [Fact]
    public async Task EventCalendar_HasTheSameUidAsTheOtherCalendars_AndNoOnlineLinkOrParticipant()
    {
        var e = await FeedData.AddEventAsync(factory, "kal-online", new DateTime(2026, 4, 21, 14, 0, 0), regions: ["dresden"], onlineUrl: "https://konferenz.example/geheimer-raum");
        var driver = new RegistrationDriver(factory);
        await driver.RegisterAndConfirmAsync(e.Slug, "teilnehmerin@example.org");

        var (single, singleText) = await LoadAsync("/veranstaltungen/kal-online/kalender.ics");
        var (region, regionText) = await LoadAsync("/regionen/dresden/kalender.ics");
        var (site, siteText) = await LoadAsync("/kalender.ics");

        var entry = Assert.Single(single.Events);
        Assert.Equal($"lprevents-event-{e.Id}@lpr.sachsen.de", entry.Uid);
        Assert.Equal(entry.Uid, Entry(region, e).Uid);
        Assert.Equal(entry.Uid, Entry(site, e).Uid);
        Assert.Contains("X-WR-CALNAME:Landespräventionsrat Sachsen: Treffen kal-online", Unfold(singleText), StringComparison.Ordinal);
        foreach (var text in new[] { singleText, regionText, siteText })
        {
            var unfolded = Unfold(text);
            Assert.DoesNotContain("konferenz.example", unfolded, StringComparison.Ordinal);
            Assert.DoesNotContain("teilnehmerin", unfolded, StringComparison.Ordinal);
            Assert.DoesNotContain("Müller", unfolded, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/regionen/atlantis/kalender.ics")]
    [InlineData("/veranstaltungen/gibt-es-nicht/kalender.ics")]
    [InlineData("/veranstaltungen/kal-nur-entwurf/kalender.ics")]
    public async Task UnknownRegionOrEvent_AndADraft_Are404(string path)
    {
        if (path.Contains("kal-nur-entwurf", StringComparison.Ordinal))
        {
            await FeedData.AddEventAsync(factory, "kal-nur-entwurf", new DateTime(2026, 6, 3, 9, 0, 0), EventStatus.Draft);
        }

        var (response, _) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RegionEventAndListPages_OfferToSubscribeByWebcal_AndToDownloadByHttps()
    {
        await FeedData.AddEventAsync(factory, "kal-knopf", new DateTime(2026, 5, 12, 18, 0, 0), regions: ["vogtlandkreis"]);
        var client = factory.CreateClient();

        foreach (var (page, calendar) in new[]
        {
            ("/regionen/vogtlandkreis", "/regionen/vogtlandkreis/kalender.ics"),
            ("/veranstaltungen/kal-knopf", "/veranstaltungen/kal-knopf/kalender.ics"),
            ("/veranstaltungen", "/kalender.ics"),
        })
        {
            var (response, document) = await client.GetPageAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var links = document.QuerySelectorAll(".subscribe__links a").Select(a => (a.GetAttribute("href"), Html.Normalise(a.TextContent))).ToList();
            Assert.Contains(links, l => l.Item1 == $"webcal://veranstaltungen.test{calendar}" && l.Item2.EndsWith("abonnieren", StringComparison.Ordinal));
            Assert.Contains(links, l => l.Item1 == $"{Base}{calendar}" && l.Item2 == "Kalenderdatei herunterladen (.ics)");
            Assert.NotNull(document.QuerySelector("h2#abonnieren, h2#kalender"));
        }
    }
}

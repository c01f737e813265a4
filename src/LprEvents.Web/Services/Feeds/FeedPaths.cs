namespace LprEvents.Web.Services.Feeds;

/// <summary>Where the feeds, calendars and the sitemap live; <see cref="PublicUrls"/> makes them absolute.</summary>
public static class FeedPaths
{
    public const string Atom = "/feed.xml";

    public const string Calendar = "/kalender.ics";

    public const string Sitemap = "/sitemap.xml";

    public static string RegionAtom(string regionSlug) => $"/regionen/{regionSlug}/feed.xml";

    public static string RegionCalendar(string regionSlug) => $"/regionen/{regionSlug}/kalender.ics";

    public static string EventCalendar(string eventSlug) => $"/veranstaltungen/{eventSlug}/kalender.ics";

    /// <summary>One file of a sitemap too large for one (<see cref="SitemapWriter"/>), counted from 1.</summary>
    public static string SitemapFile(int number) => $"/sitemap-{number}.xml";
}

using LprEvents.Web.Services.Feeds;

namespace LprEvents.Web.Configuration;

/// <summary>Atom feeds, public calendars, sitemap and robots.txt (Controllers/FeedsController, CalendarsController, SitemapController).</summary>
public static class FeedsSetup
{
    public static WebApplicationBuilder AddLprFeeds(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SitemapOptions>().BindConfiguration(SitemapOptions.SectionName)
            .Validate(o => o.UrlsPerFile is >= 1 and <= SitemapWriter.MaxUrlsPerFile, $"Sitemap:UrlsPerFile must be between 1 and {SitemapWriter.MaxUrlsPerFile}.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AtomFeeds>();
        builder.Services.AddScoped<SitemapWriter>();
        return builder;
    }
}
